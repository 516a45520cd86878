using static Vta.Compiler.Llvm.Native.LlvmBuild;
using static Vta.Compiler.Llvm.Native.LlvmCore;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// ONNX QLinearConv with one group per channel (depthwise, NCHW, 8-bit), as <c>QLinearKernels.Conv</c> computes it:
/// exact int32 sums of (x − x zero point)·(w − w zero point[c]) plus bias, then MLAS's requantization (float32
/// acc·scale[c], rounded half to even, plus the output zero point, saturated). Arguments: x, w (int32 [C][KH·KW], already
/// centered), bias (int32 [C]), scale (float [C]), y, p (int32: x zero point, y zero point, min, max).
/// </summary>
/// <remarks>
/// Per (image, channel, output row) the interior columns (<see cref="WindowGeometry.InteriorColumns"/>) are computed a
/// vector of output columns at a time with every tap unrolled: one load per tap (strided rows are loaded wide and
/// deinterleaved), int32 multiply-adds kept in registers, then the requantization on the whole vector with the same
/// float operations as the scalar reference, so results stay bit-equal. The last vector of a row overlaps the one before
/// it instead of a scalar tail. Border columns are emitted one by one with only their valid taps. A tap row outside the
/// input reads a row inside it with a zero weight instead (no branches); the x zero point is folded into the row's bias
/// (Σ(x − zx)·w = Σx·w − zx·Σw, exact in wrapping int32).
/// </remarks>
public sealed class QLinearDepthwiseKernel(int batch, int channels, WindowGeometry window, KernelElement x, KernelElement y) : KernelDefinition
{
    public int Batch { get; } = batch;

    public int Channels { get; } = channels;

    public WindowGeometry Window { get; } = window;

    public KernelElement X { get; } = x;

    public KernelElement Y { get; } = y;

    public override string Kind => "qlinear_dwconv";

    public override string Description => $"n{Batch} c{Channels} {Window} {X}->{Y}";

    public override int Arity => 6;

    /// <summary>Output columns per vector for a row with <paramref name="interior"/> interior columns (1: no vectors).</summary>
    private static int LanesFor(int interior) => interior >= 16 ? 16 : interior >= 8 ? 8 : interior >= 4 ? 4 : 1;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I32), IrModule.Pointer(m.I32), IrModule.Pointer(m.F32),
            IrModule.Pointer(m.I8), IrModule.Pointer(m.I32));
        (IrValue x, IrValue w, IrValue bias, IrValue scale, IrValue y, IrValue p) = (a[0], a[1], a[2], a[3], a[4], a[5]);
        WindowGeometry g = Window;
        IrValue xZero = m.Load(p, m.I64Const(0)), yZero = m.Load(p, m.I64Const(1));
        // clamp(rint(v) + zp, lo, hi) == clamp(rint(v), lo − zp, hi − zp) + zp: the clamp happens in float, exactly.
        IrValue lo = m.SIToFP(m.Sub(m.Load(p, m.I64Const(2)), yZero), m.F32), hi = m.SIToFP(m.Sub(m.Load(p, m.I64Const(3)), yZero), m.F32);
        int taps = g.KH * g.KW;
        (int vectorLo, int vectorHi) = g.InteriorColumns;
        int lanes = LanesFor(vectorHi - vectorLo);
        if (lanes == 1)
        {
            (vectorLo, vectorHi) = (0, 0);
        }
        m.For(0, Batch, n => m.For(0, Channels, c =>
        {
            IrValue image = m.AddNsw(m.MulNsw(n, m.I64Const(Channels)), c);
            IrValue plane = m.MulNsw(image, m.I64Const(g.H * g.W));
            IrValue outPlane = m.MulNsw(image, m.I64Const(g.OH * g.OW));
            IrValue b = m.Load(bias, c), s = m.Load(scale, c);
            IrValue wBase = m.MulNsw(c, m.I64Const(taps));
            IrValue[] weights = new IrValue[taps];
            for (int t = 0; t < taps; t++)
            {
                weights[t] = m.Load(w, m.AddNsw(wBase, m.I64Const(t)));
            }
            m.For(0, g.OH, oy =>
            {
                var row = new Row(new IrValue[g.KH], new IrValue[taps], b, s, m.AddNsw(outPlane, m.MulNsw(oy, m.I64Const(g.OW))));
                IrValue weightSum = m.I32Const(0);
                for (int ky = 0; ky < g.KH; ky++)
                {
                    IrValue iy = m.AddNsw(m.MulNsw(oy, m.I64Const(g.SH)), m.I64Const((ky * g.DH) - g.PadTop));
                    IrValue inside = m.ICmp(IntCompare.Ult, iy, m.I64Const(g.H));
                    // Rows outside the input contribute nothing (their centered values are 0): read row 0, weight 0.
                    row.Inputs[ky] = m.AddNsw(plane, m.MulNsw(m.Select(inside, iy, m.I64Const(0)), m.I64Const(g.W)));
                    for (int kx = 0; kx < g.KW; kx++)
                    {
                        int t = (ky * g.KW) + kx;
                        row.Weights[t] = m.Select(inside, weights[t], m.I32Const(0));
                        weightSum = m.Add(weightSum, row.Weights[t]);
                    }
                }
                for (int ox = 0; ox < g.OW; ox++)
                {
                    if (ox < vectorLo || ox >= vectorHi)
                    {
                        EmitColumn(m, x, y, row, ox, xZero, yZero, lo, hi);
                    }
                }
                if (lanes > 1)
                {
                    IrValue rowBias = m.Sub(b, m.Mul(xZero, weightSum));
                    m.For(vectorLo, vectorHi - lanes, ox => EmitVector(m, x, y, row, rowBias, ox, last: null, lanes, yZero, lo, hi), lanes);
                    // The row's last vector overlaps the one before (no scalar tail).
                    EmitVector(m, x, y, row, rowBias, m.I64Const(vectorHi - lanes), vectorHi - lanes, lanes, yZero, lo, hi);
                }
            });
        }));
        m.EndFunction();
    }

    /// <summary>One border column: its valid taps only (known when the IR is built), scalar.</summary>
    private void EmitColumn(IrModule m, IrValue x, IrValue y, Row row, int ox, IrValue xZero, IrValue yZero, IrValue lo, IrValue hi)
    {
        WindowGeometry g = Window;
        IrValue acc = row.Bias;
        for (int ky = 0; ky < g.KH; ky++)
        {
            for (int kx = 0; kx < g.KW; kx++)
            {
                int ix = (ox * g.SW) + (kx * g.DW) - g.PadLeft;
                if (ix < 0 || ix >= g.W)
                {
                    continue;
                }
                IrValue xv = m.Sub(m.Extend(m.Load(x, m.AddNsw(row.Inputs[ky], m.I64Const(ix))), m.I32, X == KernelElement.Int8), xZero);
                acc = m.Add(acc, m.Mul(xv, row.Weights[(ky * g.KW) + kx]));
            }
        }
        IrValue q = m.Add(ElementwiseKernel.RoundToInt(m, "llvm.rint.f32", m.FMul(m.SIToFP(acc, m.F32), row.Scale), lo, hi), yZero);
        m.Store(m.Trunc(q, m.I8), y, m.AddNsw(row.Output, m.I64Const(ox)));
    }

    /// <summary>
    /// Output columns [ox, ox + lanes) of the interior, every tap valid; <paramref name="last"/> is ox for the row's last
    /// vector (known when the IR is built), null inside the loop (whose wide loads end inside the row).
    /// </summary>
    private void EmitVector(IrModule m, IrValue x, IrValue y, Row row, IrValue rowBias, IrValue ox, int? last, int lanes, IrValue yZero,
        IrValue lo, IrValue hi)
    {
        WindowGeometry g = Window;
        IrType i32s = IrModule.Vector(m.I32, lanes), f32s = IrModule.Vector(m.F32, lanes);
        IrValue acc = m.Splat(rowBias, lanes);
        IrValue column = m.MulNsw(ox, m.I64Const(g.SW));
        for (int ky = 0; ky < g.KH; ky++)
        {
            for (int kx = 0; kx < g.KW; kx++)
            {
                int offset = (kx * g.DW) - g.PadLeft;
                IrValue start = m.AddNsw(m.AddNsw(row.Inputs[ky], column), m.I64Const(offset));
                IrValue bytes = LoadStrided(m, m.Gep(x, start), lanes, g.SW, last is null ? 0 : WideLoadLead(last.Value, offset, lanes));
                IrValue xv = m.Extend(bytes, i32s, X == KernelElement.Int8);
                acc = m.Add(acc, m.Mul(xv, m.Splat(row.Weights[(ky * g.KW) + kx], lanes)));
            }
        }
        // The reference's float operations, lane by lane: acc·scale, rint, clamp (NaN → clamp(0)), to int, + zero point.
        IrValue v = m.FMul(m.SIToFP(acc, f32s), m.Splat(row.Scale, lanes));
        IrValue loV = m.Splat(lo, lanes), hiV = m.Splat(hi, lanes);
        IrValue clamped = m.FClamp(m.Call($"llvm.rint.v{lanes}f32", f32s, v), loV, hiV);
        IrValue safe = m.Select(m.FCmp(FloatCompare.Uno, v, v), m.Splat(m.FClamp(m.F32Const(0), lo, hi), lanes), clamped);
        IrValue q = m.Add(m.FPToSI(safe, i32s), m.Splat(yZero, lanes));
        m.StoreVector(m.Trunc(q, IrModule.Vector(m.I8, lanes)), m.Gep(y, m.AddNsw(row.Output, ox)));
    }

    /// <summary>
    /// For a strided row's last vector (output column <paramref name="ox"/>, tap offset <paramref name="offset"/>): how
    /// many bytes before the first lane its wide load starts so that it stays inside the row (−1: neither way, gather).
    /// </summary>
    private int WideLoadLead(int ox, int offset, int lanes)
    {
        WindowGeometry g = Window;
        int start = (g.SW * ox) + offset;
        return start + (g.SW * lanes) - 1 < g.W ? 0 : start - (g.SW - 1) >= 0 ? g.SW - 1 : -1;
    }

    /// <summary>
    /// pointer[0], pointer[stride], … (lanes bytes): one load for stride 1; else one wide load of lanes·stride bytes
    /// starting <paramref name="lead"/> bytes before pointer and a shuffle, or (lead −1) a gather.
    /// </summary>
    private static IrValue LoadStrided(IrModule m, IrValue pointer, int lanes, int stride, int lead)
    {
        if (stride == 1)
        {
            return m.LoadVector(pointer, lanes);
        }
        if (lead >= 0)
        {
            IrValue all = m.LoadVector(m.Gep(pointer, -lead), lanes * stride);
            IrValue mask = Constants(m, lanes, i => (i * stride) + lead);
            return new(LLVMBuildShuffleVector(m.Builder, all.Handle, LLVMGetUndef(IrModule.TypeOf(all).Handle), mask.Handle, string.Empty));
        }
        IrValue vector = new(LLVMGetUndef(IrModule.Vector(m.I8, lanes).Handle));
        for (int i = 0; i < lanes; i++)
        {
            IrValue element = m.Load(m.Gep(pointer, i * stride));
            vector = new(LLVMBuildInsertElement(m.Builder, vector.Handle, element.Handle, m.I32Const(i).Handle, string.Empty));
        }
        return vector;
    }

    /// <summary>A constant i32 vector (insertelement on constants folds to a constant).</summary>
    private static IrValue Constants(IrModule m, int lanes, Func<int, int> value)
    {
        nint vector = LLVMConstNull(IrModule.Vector(m.I32, lanes).Handle);
        for (int i = 0; i < lanes; i++)
        {
            vector = LLVMBuildInsertElement(m.Builder, vector, m.I32Const(value(i)).Handle, m.I32Const(i).Handle, string.Empty);
        }
        return new(vector);
    }

    /// <summary>One output row's input row offsets per kernel row, weights (0 for rows outside the input), bias, scale and output offset.</summary>
    private sealed record Row(IrValue[] Inputs, IrValue[] Weights, IrValue Bias, IrValue Scale, IrValue Output);
}
