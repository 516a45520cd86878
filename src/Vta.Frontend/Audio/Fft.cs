namespace Vta.Frontend.Audio;

/// <summary>In-place iterative radix-2 complex FFT (forward, e^{-2πi kn/N}, unscaled), in double precision.</summary>
public static class Fft
{
    public static void Forward(Span<double> re, Span<double> im)
    {
        int n = re.Length;
        if (im.Length != n || n == 0 || (n & (n - 1)) != 0)
        {
            throw new ArgumentException($"FFT length must be a power of two with matching real and imaginary parts (got {re.Length}, {im.Length})");
        }

        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (int len = 2; len <= n; len <<= 1)
        {
            double angle = -2 * Math.PI / len;
            for (int start = 0; start < n; start += len)
            {
                for (int k = 0; k < len / 2; k++)
                {
                    // Twiddles from cos/sin of the exact angle rather than a running product, to keep rounding small.
                    double wr = Math.Cos(angle * k), wi = Math.Sin(angle * k);
                    int a = start + k, b = a + len / 2;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    /// <summary>|X[k]| for k = 0..n/2 of a real signal zero-padded to <paramref name="fftLength"/> (tf.abs(tf.signal.rfft)).</summary>
    public static double[] RealMagnitudes(ReadOnlySpan<double> signal, int fftLength)
    {
        if (signal.Length > fftLength)
        {
            throw new ArgumentException($"signal of {signal.Length} samples is longer than the FFT ({fftLength})");
        }

        var re = new double[fftLength];
        var im = new double[fftLength];
        signal.CopyTo(re);
        Forward(re, im);
        var result = new double[fftLength / 2 + 1];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = Math.Sqrt(re[k] * re[k] + im[k] * im[k]);
        }

        return result;
    }
}
