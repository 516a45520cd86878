using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// Softmax over the last axis: float, or TFLite's integer softmax on 8-bit data (<see cref="SoftmaxQ8Kernel"/>, its exp
/// table filled by the managed code).
/// </summary>
public sealed class PreparedSoftmax : PreparedKernel
{
    private readonly int[]? _exps;
    private readonly int[]? _terms;
    private readonly int[]? _params;

    private PreparedSoftmax(KernelDefinition definition, TensorType outType, int[]? exps = null, int[]? terms = null, int[]? parameters = null)
        : base(definition, outType) => (_exps, _terms, _params) = (exps, terms, parameters);

    public static PreparedSoftmax? TryCreate(Softmax op, TensorType data, TensorType outType, out string? reason)
    {
        bool isFloat = data.DType == DataType.Float32 && outType.DType == DataType.Float32;
        bool integer = data.DType is DataType.Int8 or DataType.UInt8 && Vta.Compiler.Cpu.SoftmaxKernel.IsIntegerPath(data, outType);
        reason = !isFloat && !integer ? "softmax kernel: float, or 8-bit with TFLite's output (scale 1/256, zero point at the minimum)"
            : data.Shape.NormalizeAxis(op.Axis) != data.Rank - 1 ? "softmax kernel works on the last axis" : null;
        if (reason is not null)
        {
            return null;
        }
        int depth = data.Shape[data.Rank - 1], rows = data.Shape.ElementCount / depth;
        if (isFloat)
        {
            return new PreparedSoftmax(new SoftmaxKernel(rows, depth, op.Beta), outType);
        }

        (int[] exps, int[] terms) = Vta.Compiler.Cpu.SoftmaxKernel.IntegerExpTable(op.Beta, data.Quant!.Scale);
        int[] parameters = [(int)outType.DType.MinValue(), (int)outType.DType.MaxValue(), 31 - (outType.DType.ByteSize() * 8)];
        KernelElement x = data.DType == DataType.Int8 ? KernelElement.Int8 : KernelElement.UInt8;
        return new PreparedSoftmax(new SoftmaxQ8Kernel(rows, depth, x), outType, exps, terms, parameters);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        if (_params is null)
        {
            Call(input.Data, output.Data);
        }
        else
        {
            Call(input.Data, output.Data, _exps, _terms, _params);
        }
        return output;
    }
}

/// <summary>
/// Per-tensor requantize between 8-bit types, as a 256-entry table of the managed kernel's results
/// (<see cref="ExhaustiveTables"/>), or a byte add when the table is one (int8 ↔ uint8 with the zero point moved by 128,
/// the boundary steps VTA's int8 layers put around uint8 CPU ops). The element count is a run-time argument, so every
/// requantize node of a model shares these two kernels.
/// </summary>
public sealed class PreparedRequantize : PreparedKernel
{
    private readonly int[] _params;
    private readonly byte[]? _table;

    private PreparedRequantize(KernelDefinition definition, TensorType outType, int[] parameters, byte[]? table)
        : base(definition, outType) => (_params, _table) = (parameters, table);

    public static PreparedRequantize? TryCreate(Requantize op, TensorType data, TensorType outType, out string? reason)
    {
        reason = data.DType is not (DataType.Int8 or DataType.UInt8) || outType.DType is not (DataType.Int8 or DataType.UInt8) ? "requantize kernel is 8-bit only"
            : data.Quant is not { IsPerChannel: false } || outType.Quant is not { IsPerChannel: false } ? "requantize kernel is per tensor" : null;
        if (reason is not null)
        {
            return null;
        }
        int n = data.Shape.ElementCount;
        byte[] table = ExhaustiveTables.Unary(op, data, outType);
        return ExhaustiveTables.WrapOffset(table) is { } k
            ? new PreparedRequantize(new ElementwiseKernel(ElementwiseOp.WrapAdd, KernelElement.UInt8, KernelElement.UInt8, KernelElement.UInt8, false, false),
                outType, [n, k], null)
            : new PreparedRequantize(new LookupKernel(binary: false), outType, [n], table);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, null, output.Data, _params, _table);
        return output;
    }
}

/// <summary>8-bit NHWC ↔ VTA's packed activations (see <see cref="PackedLayoutKernel"/>).</summary>
public static class PackedLayoutKernels
{
    /// <summary>NHWC [n, h, w, c] → (⌈n/b⌉, ⌈c/block⌉, h, w, b, block), zero padded.</summary>
    public static sbyte[] Pack(sbyte[] nhwc, int n, int c, int h, int w, int batch, int block)
    {
        int nb = (n + batch - 1) / batch, cb = (c + block - 1) / block;
        sbyte[] packed = new sbyte[nb * batch * cb * block * h * w];
        Run(new PackedLayoutKernel(n, c, h, w, batch, block, pack: true), nhwc, packed);
        return packed;
    }

    /// <summary>The inverse of <see cref="Pack"/>: padded rows and channels are dropped.</summary>
    public static sbyte[] Unpack(sbyte[] packed, int n, int c, int h, int w, int batch, int block)
    {
        sbyte[] nhwc = new sbyte[n * c * h * w];
        Run(new PackedLayoutKernel(n, c, h, w, batch, block, pack: false), packed, nhwc);
        return nhwc;
    }

    private static unsafe void Run(PackedLayoutKernel kernel, sbyte[] source, sbyte[] destination)
    {
        CompiledKernel compiled = KernelCache.Get(kernel);
        fixed (sbyte* s = source, d = destination)
        {
            compiled.Invoke([(nint)s, (nint)d]);
        }
    }
}
