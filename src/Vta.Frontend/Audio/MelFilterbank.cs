namespace Vta.Frontend.Audio;

/// <summary>
/// TensorFlow's <c>tf.signal.linear_to_mel_weight_matrix</c>: triangles that are linear in HTK mel
/// (1127·ln(1 + f/700)), band edges evenly spaced in mel between the lower and upper edge, the DC bin zeroed.
/// </summary>
public static class MelFilterbank
{
    public static double HertzToMel(double hertz) => 1127.0 * Math.Log(1.0 + hertz / 700.0);

    /// <summary>Weights laid out [spectrogramBin, melBin], as TF returns them.</summary>
    public static double[,] Create(int melBins, int spectrogramBins, int sampleRate, double lowerHertz, double upperHertz)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(melBins, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(spectrogramBins, 2);
        if (!(lowerHertz >= 0 && lowerHertz < upperHertz && upperHertz <= sampleRate / 2.0))
        {
            throw new ArgumentException($"mel band edges must satisfy 0 <= {lowerHertz} < {upperHertz} <= {sampleRate / 2.0}");
        }

        double[] edges = BandEdgesMel(melBins, lowerHertz, upperHertz);
        var weights = new double[spectrogramBins, melBins];
        double nyquist = sampleRate / 2.0;

        // Bin 0 (DC) stays zero, as in HTK and TF.
        for (int bin = 1; bin < spectrogramBins; bin++)
        {
            double mel = HertzToMel(nyquist * bin / (spectrogramBins - 1));
            for (int m = 0; m < melBins; m++)
            {
                double lower = (mel - edges[m]) / (edges[m + 1] - edges[m]);
                double upper = (edges[m + 2] - mel) / (edges[m + 2] - edges[m + 1]);
                weights[bin, m] = Math.Max(0.0, Math.Min(lower, upper));
            }
        }

        return weights;
    }

    /// <summary>melBins + 2 evenly spaced mel values: band m spans edges[m]..edges[m+2], peaking at edges[m+1].</summary>
    public static double[] BandEdgesMel(int melBins, double lowerHertz, double upperHertz)
    {
        double low = HertzToMel(lowerHertz), high = HertzToMel(upperHertz);
        var edges = new double[melBins + 2];
        for (int i = 0; i < edges.Length; i++)
        {
            edges[i] = low + (high - low) * i / (melBins + 1);
        }

        return edges;
    }
}
