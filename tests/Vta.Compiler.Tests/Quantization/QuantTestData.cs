using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Quant;

/// <summary>Seeded float inputs and the error measures the quantization tests share.</summary>
internal static class QuantTestData
{
    /// <summary>A tensor of N(0, 1) values (the distribution the zoo's batch norms were calibrated on), from a seed.</summary>
    public static Tensor Gaussian(Shape shape, int seed)
    {
        var random = new Random(seed);
        float[] v = new float[shape.ElementCount];
        for (int i = 0; i < v.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            v[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return Tensor.FromArray(shape, v);
    }

    public static Dictionary<string, Tensor> Inputs(Graph g, int seed) => new() { [g.Inputs[0]] = Gaussian(g.TypeOf(g.Inputs[0]).Shape, seed) };

    /// <summary>Signal-to-quantization-noise ratio in dB of <paramref name="approx"/> against <paramref name="reference"/>.</summary>
    public static double Sqnr(float[] reference, float[] approx)
    {
        double signal = 0, noise = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            double d = (double)reference[i] - approx[i];
            noise += d * d;
        }
        return 10 * Math.Log10(signal / Math.Max(noise, 1e-30));
    }

    public static double Cosine(float[] a, float[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }
        return ab / Math.Sqrt(aa * bb);
    }
}
