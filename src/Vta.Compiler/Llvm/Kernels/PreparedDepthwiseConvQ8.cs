using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>A quantized NHWC depthwise conv2d with its weights packed as [tap][channel] int16 (w - zero point).</summary>
public sealed class PreparedDepthwiseConvQ8 : PreparedKernel
{
    private readonly short[] _weights;
    private readonly int[] _params;

    private PreparedDepthwiseConvQ8(DepthwiseConvQ8Kernel definition, TensorType outType, short[] weights, int[] parameters)
        : base(definition, outType)
    {
        _weights = weights;
        _params = parameters;
    }

    /// <summary>Binds the op, or returns null with the reason when this kernel does not cover it.</summary>
    public static PreparedDepthwiseConvQ8? TryCreate(DepthwiseConv2d op, TensorType data, Tensor weights, Tensor? bias, TensorType outType, out string? reason)
    {
        reason = op.Layout != DataLayout.Nhwc ? "depthwise int8 kernel is NHWC only"
            : op.Multiplier != 1 ? "depth multiplier other than 1"
            : data.Quant is null || outType.Quant is null || weights.Quant is null ? "not TFLite-quantized"
            : data.DType is not (DataType.Int8 or DataType.UInt8) || outType.DType is not (DataType.Int8 or DataType.UInt8) ? "not 8-bit data"
            : null;
        if (reason is not null)
        {
            return null;
        }
        (int ao, _, _, _) = op.KernelLayout.Axes();
        Quantization dataQ = data.Quant!, weightQ = weights.Quant!, outQ = outType.Quant!;
        if (weightQ.IsPerChannel && weightQ.Axis != ao)
        {
            reason = "weights quantized along an axis other than the output channels";
            return null;
        }
        int channels = data.Shape[3];
        (int[] k, _, _, int kh, int kw) = LayoutConversion.ToOihw(weights.ToInt32Values(), weights.Shape, op.KernelLayout);
        int taps = kh * kw;
        short[] packed = new short[taps * channels];
        int[] parameters = new int[(3 * channels) + 4];
        int[]? b = bias?.ToInt32Values();
        for (int c = 0; c < channels; c++)
        {
            for (int t = 0; t < taps; t++)
            {
                packed[(t * channels) + c] = checked((short)(k[(c * taps) + t] - weightQ.ZeroPointAt(c)));
            }
            // As ConvKernel: uint8 models use TFLite's legacy float product of the scales, int8 ones doubles.
            double real = FixedPoint.RealMultiplier(dataQ.Scale, weightQ.ScaleAt(c), outQ.Scale, floatProduct: data.DType == DataType.UInt8);
            (parameters[channels + c], parameters[(2 * channels) + c]) = FixedPoint.QuantizeMultiplier(real);
            parameters[c] = b?[c] ?? 0;
        }
        (int min, int max) = QuantizedActivation.Range(op.Activation, outType);
        parameters[3 * channels] = dataQ.ZeroPoint;
        parameters[(3 * channels) + 1] = outQ.ZeroPoint;
        parameters[(3 * channels) + 2] = min;
        parameters[(3 * channels) + 3] = max;
        WindowGeometry window = new(data.Shape[1], data.Shape[2], kh, kw, op.Strides.H, op.Strides.W, op.Dilations.H, op.Dilations.W,
            op.Pads.Top, op.Pads.Left, outType.Shape[1], outType.Shape[2]);
        DepthwiseConvQ8Kernel definition = new(data.Shape[0], channels, window, data.DType == DataType.Int8, outType.DType == DataType.Int8);
        return new PreparedDepthwiseConvQ8(definition, outType, packed, parameters);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, _weights, _params, output.Data);
        return output;
    }
}
