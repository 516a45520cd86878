using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// ONNX QLinearMatMul of a [rows, K] 8-bit activation by constant [K, N] 8-bit weights: int32 accumulation of
/// (x − zx)(w − zw) with the N loop innermost (vectorized), then ONNX Runtime's requantization: float(acc) · scale[n]
/// rounded half to even, plus the output zero point, saturated. Arguments: x, w int16 (w − zw, [K][N]), scales float
/// [N], p int32 [zx, zy, min, max], y.
/// </summary>
public sealed class QLinearMatMulKernel(int rows, int depth, int columns, bool inSigned, bool outSigned) : KernelDefinition
{
    public int Rows { get; } = rows;

    public int Depth { get; } = depth;

    public int Columns { get; } = columns;

    public bool InSigned { get; } = inSigned;

    public bool OutSigned { get; } = outSigned;

    public override string Kind => "qlinear_matmul";

    public override string Description => $"m{Rows} k{Depth} n{Columns} {(InSigned ? "i8" : "u8")}->{(OutSigned ? "i8" : "u8")}";

    public override int Arity => 5;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I16), IrModule.Pointer(m.F32), IrModule.Pointer(m.I32),
            IrModule.Pointer(m.I8));
        (IrValue x, IrValue w, IrValue scales, IrValue p, IrValue y) = (a[0], a[1], a[2], a[3], a[4]);
        IrValue acc = m.Alloca(m.I32, Columns);
        (IrValue zx, IrValue zy) = (m.Load(p, m.I64Const(0)), m.Load(p, m.I64Const(1)));
        // Saturate(round(v) + zy) == clamp(round(v), min − zy, max − zy) + zy, clamped in float exactly.
        IrValue lo = m.SIToFP(m.Sub(m.Load(p, m.I64Const(2)), zy), m.F32), hi = m.SIToFP(m.Sub(m.Load(p, m.I64Const(3)), zy), m.F32);
        m.For(0, Rows, r =>
        {
            m.For(0, Columns, n => m.Store(m.I32Const(0), acc, n));
            m.For(0, Depth, k =>
            {
                IrValue xk = m.Sub(m.Extend(m.Load(x, m.AddNsw(m.MulNsw(r, m.I64Const(Depth)), k)), m.I32, InSigned), zx);
                IrValue row = m.MulNsw(k, m.I64Const(Columns));
                m.For(0, Columns, n => m.Store(m.Add(m.Load(acc, n), m.Mul(xk, m.SExt(m.Load(w, m.AddNsw(row, n)), m.I32))), acc, n));
            });
            m.For(0, Columns, n =>
            {
                IrValue v = m.FMul(m.SIToFP(m.Load(acc, n), m.F32), m.Load(scales, n));
                IrValue rounded = ElementwiseKernel.RoundToInt(m, "llvm.rint.f32", v, lo, hi);
                m.Store(m.Trunc(m.Add(rounded, zy), m.I8), y, m.AddNsw(m.MulNsw(r, m.I64Const(Columns)), n));
            });
        });
        m.EndFunction();
    }
}

/// <summary>A QLinearMatMul node with its weights centred (int16) and its per-column output scales computed once.</summary>
public sealed class PreparedQLinearMatMul : PreparedKernel
{
    private readonly short[] _weights;
    private readonly float[] _scales;
    private readonly int[] _params;

    private PreparedQLinearMatMul(QLinearMatMulKernel definition, TensorType outType, short[] weights, float[] scales, int[] parameters)
        : base(definition, outType) => (_weights, _scales, _params) = (weights, scales, parameters);

    public static PreparedQLinearMatMul? TryCreate(TensorType data, Tensor weights, TensorType outType, out string? reason)
    {
        reason = data.Quant is not { IsPerChannel: false } || weights.Quant is null || outType.Quant is null ? "not quantized per tensor"
            : weights.Shape.Rank != 2 ? "weights are not 2-D"
            : weights.Quant.IsPerChannel && weights.Quant.Axis != 1 ? "weights quantized along an axis other than the columns"
            : data.DType is not (DataType.Int8 or DataType.UInt8) || weights.DType is not (DataType.Int8 or DataType.UInt8) ? "not 8-bit" : null;
        if (reason is not null)
        {
            return null;
        }

        Quantization xq = data.Quant!, wq = weights.Quant!, yq = outType.Quant!;
        int k = weights.Shape[0], n = weights.Shape[1], rows = data.Shape.ElementCount / k;
        int[] wv = weights.ToInt32Values();
        short[] centred = new short[wv.Length];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < n; j++)
            {
                centred[(i * n) + j] = checked((short)(wv[(i * n) + j] - wq.ZeroPointAt(j)));
            }
        }

        float[] scales = QLinearKernels.OutputScales(xq.Scale, wq, yq.Scale, n);

        var definition = new QLinearMatMulKernel(rows, k, n, data.DType == DataType.Int8, outType.DType == DataType.Int8);
        return new PreparedQLinearMatMul(definition, outType, centred, scales,
            [xq.ZeroPoint, yq.ZeroPoint, (int)outType.DType.MinValue(), (int)outType.DType.MaxValue()]);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, _weights, _scales, _params, output.Data);
        return output;
    }
}
