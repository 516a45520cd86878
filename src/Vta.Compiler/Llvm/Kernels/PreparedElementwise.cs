using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>Float softmax over the last axis.</summary>
public sealed class PreparedSoftmax : PreparedKernel
{
    private PreparedSoftmax(SoftmaxKernel definition, TensorType outType)
        : base(definition, outType)
    {
    }

    public static PreparedSoftmax? TryCreate(Softmax op, TensorType data, TensorType outType, out string? reason)
    {
        reason = data.DType != DataType.Float32 || outType.DType != DataType.Float32 ? "softmax kernel is float only"
            : data.Shape.NormalizeAxis(op.Axis) != data.Rank - 1 ? "softmax kernel works on the last axis" : null;
        if (reason is not null)
        {
            return null;
        }
        int depth = data.Shape[data.Rank - 1];
        return new PreparedSoftmax(new SoftmaxKernel(data.Shape.ElementCount / depth, depth, op.Beta), outType);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = Tensor.Zeros(OutType);
        Call(input.Data, output.Data);
        return output;
    }
}

/// <summary>
/// Per-tensor requantize between 8-bit types. The element count is a run-time argument (<see cref="ElementwiseKernel"/>),
/// so the dozens of requantize nodes of a model share two kernels instead of compiling one per shape.
/// </summary>
public sealed class PreparedRequantize : PreparedKernel
{
    private readonly int[] _params;

    private PreparedRequantize(ElementwiseKernel definition, TensorType outType, int[] parameters)
        : base(definition, outType) => _params = parameters;

    public static PreparedRequantize? TryCreate(TensorType data, TensorType outType, out string? reason)
    {
        reason = data.DType is not (DataType.Int8 or DataType.UInt8) || outType.DType is not (DataType.Int8 or DataType.UInt8) ? "requantize kernel is 8-bit only"
            : data.Quant is not { IsPerChannel: false } || outType.Quant is not { IsPerChannel: false } ? "requantize kernel is per tensor" : null;
        if (reason is not null)
        {
            return null;
        }
        (int m, int s) = FixedPoint.QuantizeMultiplier((double)data.Quant!.Scale / outType.Quant!.Scale);
        int[] p = [data.Shape.ElementCount, m, s, data.Quant.ZeroPoint, outType.Quant.ZeroPoint, (int)outType.DType.MinValue(), (int)outType.DType.MaxValue()];
        KernelElement a = data.DType == DataType.Int8 ? KernelElement.Int8 : KernelElement.UInt8;
        KernelElement y = outType.DType == DataType.Int8 ? KernelElement.Int8 : KernelElement.UInt8;
        return new PreparedRequantize(new ElementwiseKernel(ElementwiseOp.Requantize, a, a, y, false, false), outType, p);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = Tensor.Zeros(OutType);
        Call(input.Data, null, output.Data, _params, null);
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
