using Vta.Compiler.Graphs;

namespace Vta.Compiler.Quant;

/// <summary>Per-tensor symmetric int8 weights and int32 biases, as TVM's realize step makes them.</summary>
public static class WeightQuantizer
{
    /// <summary>
    /// TVM's weight scale: 2^ceil(log2 max|w|) / 128 (power2 mode), or max|w| / 127 when powers of two are not
    /// required. All-zero weights get 1/128.
    /// </summary>
    public static float Scale(ReadOnlySpan<float> weights, bool powerOfTwo)
    {
        double max = 0;
        foreach (float w in weights)
        {
            max = Math.Max(max, Math.Abs((double)w));
        }
        if (max == 0)
        {
            return 1f / 128;
        }
        return powerOfTwo ? (float)Math.ScaleB(1.0, (int)Math.Ceiling(Math.Log2(max)) - 7) : (float)(max / 127);
    }

    /// <summary>q = clamp(round(w / scale), −127, 127) (rounding half away from zero), tagged with the scale.</summary>
    public static Tensor Weights(Tensor weights, float scale)
    {
        float[] w = weights.As<float>();
        sbyte[] q = new sbyte[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            q[i] = (sbyte)Math.Clamp(Math.Round(w[i] / (double)scale, MidpointRounding.AwayFromZero), -127, 127);
        }
        return Tensor.FromArray(weights.Shape, q, Quantization.PerTensor(scale, 0));
    }

    /// <summary>
    /// The bias in the accumulator's units (input scale × weight scale), rounded. Returns null with the channel when
    /// a value does not fit in int32 (the layer then stays float).
    /// </summary>
    public static Tensor? Bias(Tensor bias, double accumulatorScale, out string? reason)
    {
        float[] b = bias.As<float>();
        int[] q = new int[b.Length];
        for (int i = 0; i < b.Length; i++)
        {
            double v = Math.Round(b[i] / accumulatorScale, MidpointRounding.AwayFromZero);
            if (Math.Abs(v) > int.MaxValue / 2)
            {
                reason = $"bias[{i}] = {b[i]} is {v:G4} accumulator units, too large for int32";
                return null;
            }
            q[i] = (int)v;
        }
        reason = null;
        return Tensor.FromArray(bias.Shape, q, Quantization.PerTensor((float)accumulatorScale, 0));
    }
}
