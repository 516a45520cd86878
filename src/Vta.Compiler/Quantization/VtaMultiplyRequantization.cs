namespace Vta.Compiler.Quant;

/// <summary>
/// The per-channel integers of the multiply form, one array per ALU step (index = output channel):
/// out = clamp(((((acc + bias) &gt;&gt; PreShift)·Multiplier + Rounding) &gt;&gt; Shift) &gt;&gt; SecondShift) + zo). The bias
/// already holds 2^(PreShift−1), so the pre-shift rounds to nearest too.
/// </summary>
public sealed record VtaMultiplyRows(int[] PreShift, int[] Multiplier, int[] Rounding, int[] Shift, int[] SecondShift)
{
    /// <summary>Rows in the order the ALU applies them; the graph stores them as an int32 [<see cref="Count"/>, O] tensor.</summary>
    public const int Count = 5;

    /// <summary>The rows stacked row-major, as the graph constant holds them.</summary>
    public int[] Stacked() => [.. PreShift, .. Multiplier, .. Rounding, .. Shift, .. SecondShift];

    /// <summary>The rows of a stacked [5, O] tensor.</summary>
    public static VtaMultiplyRows FromStacked(ReadOnlySpan<int> rows)
    {
        int o = rows.Length / Count;
        return new VtaMultiplyRows(rows[..o].ToArray(), rows.Slice(o, o).ToArray(), rows.Slice(2 * o, o).ToArray(), rows.Slice(3 * o, o).ToArray(),
            rows.Slice(4 * o, o).ToArray());
    }
}

/// <summary>
/// The multiply form of a quantized layer: the model's own int8 weights (w − zw), the int32 bias b − zx·Σ(w − zw) (as
/// TFLite folds it), and the real multiplier M_c applied by the ALU's MUL as an integer m_c = round(M_c·2^(p_c+k_c))
/// after an optional rounding pre-shift by p_c, then a rounding right shift by k_c (two SHRs of at most 15 when k_c &gt; 15).
/// m_c and the shifts are chosen per channel so that no int32 step can overflow for any int8 input (the accumulator
/// is bounded by Σ|w − zw|·max|x − zx| + |b|) and the error bound below is smallest (docs/quantization.md):
/// |VTA·real − M·v| ≤ M·2^(p−1) + U·|m − M·2^(p+k)| / 2^k before the final rounding, U the bound of |v| after the pre-shift.
/// Only fsim and intelfocl have ALU MUL (<c>VtaConfig.HasAluMul</c>); elsewhere the folded form is the only choice.
/// </summary>
public static class VtaMultiplyRequantization
{
    /// <summary>The largest total shift: two SHRs of 0..15 each.</summary>
    public const int MaxShift = 2 * VtaRequantization.MaxShift;

    /// <summary>
    /// The multiply form, or null with a reason when some weight minus its zero point leaves int8, a bias leaves int32,
    /// or no multiplier of at least one bit fits (the layer then takes the folded form).
    /// </summary>
    public static VtaLayerForm? Rewrite(ReadOnlySpan<int> weights, int channels, ReadOnlySpan<int> weightZeroPoints, ReadOnlySpan<double> multipliers,
        ReadOnlySpan<int> bias, int inputZeroPoint, out string? reason)
    {
        long maxInput = Math.Max(sbyte.MaxValue - inputZeroPoint, inputZeroPoint - sbyte.MinValue);
        if (CenteredWeights.Of(weights, channels, weightZeroPoints, out reason) is not { } centered)
        {
            return null;
        }

        var b = new int[channels];
        int[] pre = new int[channels], mult = new int[channels], round = new int[channels], shift = new int[channels], second = new int[channels];
        var totalShift = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            long sum = centered.Sums[c], absSum = centered.AbsSums[c];
            long channelBias = bias.IsEmpty ? 0 : bias[c];
            long accBound = (absSum * maxInput) + Math.Abs(channelBias);
            if (!Choose(multipliers[c], accBound, out int p, out int k, out long m, out _))
            {
                reason = $"output channel {c}: multiplier {multipliers[c]:G4} with |accumulator| up to {accBound} leaves no int32 room for a multiplier";
                return null;
            }

            long folded = channelBias - (inputZeroPoint * sum) + (p > 0 ? 1L << (p - 1) : 0);
            if (folded is < int.MinValue or > int.MaxValue || absSum * 128 + Math.Abs(folded) > int.MaxValue)
            {
                reason = $"output channel {c}: the bias {folded} leaves no int32 headroom";
                return null;
            }

            b[c] = (int)folded;
            (pre[c], mult[c], round[c]) = (p, (int)m, k > 0 ? 1 << (k - 1) : 0);
            (shift[c], second[c]) = (Math.Min(k, VtaRequantization.MaxShift), Math.Max(0, k - VtaRequantization.MaxShift));
            totalShift[c] = k;
        }

        reason = null;
        return new VtaLayerForm(centered.Weights, b, totalShift) { Multiply = new VtaMultiplyRows(pre, mult, round, shift, second) };
    }

    /// <summary>
    /// The pre-shift p (0..15), total shift k (0..30) and multiplier m ≥ 1 with the smallest error bound such that for
    /// |v| ≤ <paramref name="accBound"/>: u = (v + 2^(p−1)) &gt;&gt; p satisfies |u|·m + 2^(k−1) ≤ int.MaxValue.
    /// </summary>
    public static bool Choose(double multiplier, long accBound, out int preShift, out int shift, out long m, out double bound)
    {
        (preShift, shift, m, bound) = (0, 0, 0, double.PositiveInfinity);
        for (int p = 0; p <= VtaRequantization.MaxShift; p++)
        {
            long half = p > 0 ? 1L << (p - 1) : 0;
            long u = ((accBound + half) >> p) + 1; // |floor((v + half) / 2^p)| ≤ this
            for (int k = MaxShift; k >= 0; k--)
            {
                long candidate = (long)Math.Round(Math.ScaleB(multiplier, p + k), MidpointRounding.AwayFromZero);
                if (candidate < 1 || candidate > int.MaxValue || (u * candidate) + (k > 0 ? 1L << (k - 1) : 0) > int.MaxValue)
                {
                    continue;
                }

                // The pre-shift's rounding (|v − 2^p·u| ≤ 2^(p−1)) scaled by M, plus m's rounding over the largest |u|.
                double error = (p > 0 ? multiplier * Math.ScaleB(1, p - 1) : 0) + (u * Math.Abs(candidate - Math.ScaleB(multiplier, p + k)) / Math.ScaleB(1, k));
                if (error < bound)
                {
                    (preShift, shift, m, bound) = (p, k, candidate, error);
                }
            }
        }

        return m >= 1;
    }
}
