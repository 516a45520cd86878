namespace Vta.Frontend.Audio;

public enum DctScaling
{
    /// <summary>Orthonormal DCT-II (scipy norm='ortho'): sqrt(1/N) for k = 0, sqrt(2/N) otherwise.</summary>
    Orthonormal,

    /// <summary>
    /// HTK's scaling, sqrt(2/N) for every k: what tf.signal.mfccs_from_log_mel_spectrograms computes (its
    /// "dct(x) * rsqrt(2N)"), so what the MLPerf Tiny KWS model was trained on. Coefficient 0 is sqrt(2) times
    /// the orthonormal one; the others are equal.
    /// </summary>
    Htk,
}

public static class Dct
{
    /// <summary>The first <paramref name="count"/> DCT-II coefficients: y_k = s_k Σ x_n cos(π k (2n + 1) / 2N).</summary>
    public static double[] TypeII(ReadOnlySpan<double> x, int count, DctScaling scaling)
    {
        int n = x.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(x));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, n);
        var y = new double[count];
        for (int k = 0; k < count; k++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += x[i] * Math.Cos(Math.PI * k * (2 * i + 1) / (2.0 * n));
            }

            double scale = k == 0 && scaling == DctScaling.Orthonormal ? Math.Sqrt(1.0 / n) : Math.Sqrt(2.0 / n);
            y[k] = sum * scale;
        }

        return y;
    }
}
