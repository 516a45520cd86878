using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// A depthwise QLinearConv (groups = input channels = output channels) with its weights centered once and its
/// per-channel output scales computed as ONNX Runtime computes them ((x scale · w scale[c]) / y scale, float32).
/// </summary>
public sealed class PreparedQLinearDepthwise : PreparedKernel
{
    private readonly int[] _weights;
    private readonly int[] _bias;
    private readonly float[] _scales;
    private readonly int[] _params;

    private PreparedQLinearDepthwise(QLinearDepthwiseKernel definition, TensorType outType, int[] weights, int[] bias, float[] scales, int[] parameters)
        : base(definition, outType) => (_weights, _bias, _scales, _params) = (weights, bias, scales, parameters);

    public static PreparedQLinearDepthwise? TryCreate(QLinearConv2d op, TensorType data, Tensor weights, Tensor? bias, TensorType outType, out string? reason)
    {
        KernelElement? x = KernelElements.Of(data.DType), y = KernelElements.Of(outType.DType);
        int channels = data.Shape[1];
        reason = x is null or KernelElement.Float32 || y is null or KernelElement.Float32 ? "QLinearConv kernel: 8-bit data"
            : op.Groups != channels || weights.Shape[0] != channels || weights.Shape[1] != 1 ? "QLinearConv kernel: depthwise only (groups = channels, multiplier 1)"
            : weights.DType is not (DataType.Int8 or DataType.UInt8) ? "QLinearConv kernel: 8-bit weights"
            : null;
        if (reason is not null)
        {
            return null;
        }
        Quantization xq = data.Quant!, wq = weights.Quant!, yq = outType.Quant!;
        int kh = weights.Shape[2], kw = weights.Shape[3], taps = kh * kw;
        int[] w = weights.ToInt32Values();
        float[] scales = QLinearKernels.OutputScales(xq.Scale, wq, yq.Scale, channels);
        for (int c = 0; c < channels; c++)
        {
            for (int t = 0; t < taps; t++)
            {
                w[(c * taps) + t] -= wq.ZeroPointAt(c);
            }
        }
        WindowGeometry g = new(data.Shape[2], data.Shape[3], kh, kw, op.Strides.H, op.Strides.W, op.Dilations.H, op.Dilations.W,
            op.Pads.Top, op.Pads.Left, outType.Shape[2], outType.Shape[3]);
        int[] parameters = [xq.ZeroPoint, yq.ZeroPoint, (int)outType.DType.MinValue(), (int)outType.DType.MaxValue()];
        return new PreparedQLinearDepthwise(new QLinearDepthwiseKernel(data.Shape[0], channels, g, x!.Value, y!.Value), outType, w,
            bias?.ToInt32Values() ?? new int[channels], scales, parameters);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, _weights, _bias, _scales, output.Data, _params);
        return output;
    }
}

/// <summary>QLinearGlobalAveragePool (NCHW) with its scale computed as ONNX Runtime computes it.</summary>
public sealed class PreparedQLinearGlobalAvgPool : PreparedKernel
{
    private readonly int[] _params;
    private readonly float[] _scale;

    private PreparedQLinearGlobalAvgPool(QLinearGlobalAvgPoolKernel definition, TensorType outType, int[] parameters, float[] scale)
        : base(definition, outType) => (_params, _scale) = (parameters, scale);

    public static PreparedQLinearGlobalAvgPool? TryCreate(TensorType data, TensorType outType, out string? reason)
    {
        KernelElement? x = KernelElements.Of(data.DType), y = KernelElements.Of(outType.DType);
        reason = x is null or KernelElement.Float32 || y is null or KernelElement.Float32 ? "QLinearGlobalAveragePool kernel: 8-bit data"
            : data.Quant is not { IsPerChannel: false } || outType.Quant is not { IsPerChannel: false } ? "QLinearGlobalAveragePool kernel: per tensor"
            : null;
        if (reason is not null)
        {
            return null;
        }
        int plane = data.Shape[2] * data.Shape[3];
        float scale = data.Quant!.Scale / (outType.Quant!.Scale * plane);
        int[] parameters = [data.Quant.ZeroPoint, outType.Quant.ZeroPoint, (int)outType.DType.MinValue(), (int)outType.DType.MaxValue()];
        return new PreparedQLinearGlobalAvgPool(new QLinearGlobalAvgPoolKernel(data.Shape[0] * data.Shape[1], plane, x!.Value, y!.Value), outType,
            parameters, [scale]);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, output.Data, _params, _scale);
        return output;
    }
}
