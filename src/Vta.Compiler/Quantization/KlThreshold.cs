namespace Vta.Compiler.Quant;

/// <summary>
/// The clipping threshold that minimizes KL(P‖Q) between a histogram of |x| clipped at the threshold (P, outliers
/// added to its last bin) and the same histogram squeezed into 128 levels (Q): TensorRT's entropy calibration as
/// TVM and MXNet implement it (_get_optimal_threshold), on 2048 bins of |x| with thresholds from bin 128 to 2048.
/// Exact zeros are left out: they are exact at every threshold, and the spike a ReLU leaves at 0, spread by Q over
/// its merged bin, would otherwise dominate the divergence and pull the threshold down to ~1.5σ (measured: SQNR of
/// zoo:resnet18 fell to 5 dB).
/// </summary>
public static class KlThreshold
{
    public const int Bins = 2048;

    /// <summary>int8 symmetric: 128 magnitudes (0..127 and the sign).</summary>
    public const int QuantizedBins = 128;

    /// <summary>MXNet's smoothing so that no bin of Q is empty where P is not.</summary>
    private const double Epsilon = 1e-4;

    public static double Find(AbsHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.Range == 0)
        {
            return 0;
        }
        long[] hist = histogram.Coarse(Bins);
        hist[0] -= histogram.Zeros;
        double width = histogram.Range / Bins;
        long[] tail = new long[Bins + 1];
        for (int i = Bins - 1; i >= 0; i--)
        {
            tail[i] = tail[i + 1] + hist[i];
        }

        double best = double.PositiveInfinity;
        int bestBins = Bins;
        double[] p = new double[Bins], q = new double[Bins];
        for (int i = QuantizedBins; i <= Bins; i++)
        {
            double kl = Divergence(hist, tail[i], i, p, q);
            if (kl < best)
            {
                best = kl;
                bestBins = i;
            }
        }
        return bestBins * width;
    }

    /// <summary>KL(P‖Q) for the first <paramref name="count"/> bins, with the <paramref name="outliers"/> folded into the last one.</summary>
    private static double Divergence(long[] hist, long outliers, int count, double[] p, double[] q)
    {
        for (int j = 0; j < count; j++)
        {
            p[j] = hist[j];
        }
        p[count - 1] += outliers;

        // Q: groups of count / 128 bins (the last group takes the remainder) spread evenly over their non-empty bins.
        int merged = count / QuantizedBins;
        for (int g = 0; g < QuantizedBins; g++)
        {
            int start = g * merged, stop = g == QuantizedBins - 1 ? count : start + merged;
            double sum = 0;
            int nonZero = 0;
            for (int j = start; j < stop; j++)
            {
                sum += hist[j];
                nonZero += p[j] != 0 ? 1 : 0;
            }
            for (int j = start; j < stop; j++)
            {
                q[j] = nonZero == 0 || p[j] == 0 ? 0 : sum / nonZero;
            }
        }

        if (!Smooth(p, count) || !Smooth(q, count))
        {
            return double.PositiveInfinity;
        }
        double sp = 0, sq = 0;
        for (int j = 0; j < count; j++)
        {
            sp += p[j];
            sq += q[j];
        }
        double kl = 0;
        for (int j = 0; j < count; j++)
        {
            if (p[j] > 0)
            {
                double pj = p[j] / sp, qj = q[j] / sq;
                kl += pj * Math.Log(pj / qj);
            }
        }
        return kl;
    }

    /// <summary>Moves a little mass into empty bins (MXNet's _smooth_distribution); false when every bin is empty.</summary>
    private static bool Smooth(double[] d, int count)
    {
        int zeros = 0;
        for (int j = 0; j < count; j++)
        {
            zeros += d[j] == 0 ? 1 : 0;
        }
        int nonZeros = count - zeros;
        if (nonZeros == 0)
        {
            return false;
        }
        double take = Epsilon * zeros / nonZeros;
        for (int j = 0; j < count; j++)
        {
            d[j] = d[j] == 0 ? Epsilon : d[j] - take;
            if (d[j] <= 0)
            {
                return false;
            }
        }
        return true;
    }
}
