namespace Vta.Compiler.Quant;

/// <summary>
/// A layer's own weights with their zero points taken off (w − zw, channel-major), as the int8 VTA multiplies, with each
/// output channel's Σ(w − zw) (to fold the input zero point into the bias) and Σ|w − zw| (to bound the sums). The forms
/// that keep the model's weights (multiply, exact) share it.
/// </summary>
public sealed record CenteredWeights(sbyte[] Weights, long[] Sums, long[] AbsSums)
{
    /// <summary>The centered weights, or null with a reason naming the channel when some w − zw leaves int8.</summary>
    public static CenteredWeights? Of(ReadOnlySpan<int> weights, int channels, ReadOnlySpan<int> zeroPoints, out string? reason)
    {
        int perChannel = weights.Length / channels;
        var w = new sbyte[weights.Length];
        long[] sums = new long[channels], absSums = new long[channels];
        for (int c = 0; c < channels; c++)
        {
            int zw = zeroPoints.Length == 1 ? zeroPoints[0] : zeroPoints[c];
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                int d = weights[i] - zw;
                if (d is < sbyte.MinValue or > sbyte.MaxValue)
                {
                    reason = $"output channel {c}: weight − zero point {d} does not fit int8";
                    return null;
                }

                w[i] = (sbyte)d;
                sums[c] += d;
                absSums[c] += Math.Abs(d);
            }
        }

        reason = null;
        return new CenteredWeights(w, sums, absSums);
    }
}
