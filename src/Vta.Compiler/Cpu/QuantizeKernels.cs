using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>Reference quantize, dequantize and requantize (TFLite semantics).</summary>
internal static class QuantizeKernels
{
    /// <summary>q = clamp(round(x / scale) + zp), the division and rounding in float as TFLite's AffineQuantize.</summary>
    public static Tensor Quantize(Tensor x, TensorType outType)
    {
        Quantization q = outType.Quant ?? throw new GraphException("quantize needs the output's quantization");
        int[] channel = Tensor.ChannelIndexOf(outType.Shape, q);
        long min = outType.DType.MinValue(), max = outType.DType.MaxValue();
        float[] xf = x.As<float>();
        int[] y = new int[xf.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int c = channel[i];
            y[i] = (int)Math.Clamp((long)FixedPoint.RoundToInt(xf[i] / q.ScaleAt(c)) + q.ZeroPointAt(c), min, max);
        }
        return Tensor.FromInt32Values(outType, y);
    }

    public static Tensor Dequantize(Tensor x, TensorType outType) => Tensor.FromFloats(outType, x.Dequantize());

    /// <summary>TFLite Requantize: zp' + fixed-point multiply of (q - zp) by scale / scale' (per tensor).</summary>
    public static Tensor Requantize(Tensor x, TensorType outType)
    {
        Quantization qi = x.Quant!;
        Quantization qo = outType.Quant ?? throw new GraphException("requantize needs the output's quantization");
        (int m, int s) = FixedPoint.QuantizeMultiplier((double)qi.Scale / qo.Scale);
        long min = outType.DType.MinValue(), max = outType.DType.MaxValue();
        int[] y = x.ToInt32Values().Select(v => (int)Math.Clamp(FixedPoint.MultiplyByQuantizedMultiplier(v - qi.ZeroPoint, m, s) + (long)qo.ZeroPoint, min, max)).ToArray();
        return Tensor.FromInt32Values(outType, y);
    }
}
