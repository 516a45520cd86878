namespace Vta.Compiler.Quant;

/// <summary>
/// The VTA form of one quantized conv or dense layer: int8 weights, int32 bias and a right shift per output channel,
/// such that out = clamp(((Σ x·w + bias) &gt;&gt; shift) + zo) approximates the layer's own requantization (the folded
/// form), or, with <see cref="Multiply"/>, the model's own weights and an ALU multiply (<see cref="VtaMultiplyRequantization"/>).
/// </summary>
public sealed record VtaLayerForm(sbyte[] Weights, int[] Bias, int[] Shifts)
{
    /// <summary>The multiply form's per-channel rows; null for the folded form (<see cref="Shifts"/> is then the whole requantization).</summary>
    public VtaMultiplyRows? Multiply { get; init; }

    /// <summary>The exact form's own requantization (the host applies it to VTA's int32 sums); null for the other forms.</summary>
    internal Passes.ExactRequant? Exact { get; init; }

    /// <summary>The exact form of uint8 weights: 128 − zw, with one more weight row of ones (the input sum); 0 otherwise.</summary>
    public int InputSumFactor { get; init; }

    /// <summary>The requantization constant of the graph node: shifts int32 [O], the multiply rows int32 [5, O], or the exact rows.</summary>
    public int[] RequantValues => Exact?.Rows ?? Multiply?.Stacked() ?? Shifts;

    /// <summary>"exact", "multiply" or "folded", for notes and reports.</summary>
    public string Kind => Exact is not null ? "exact" : Multiply is null ? "folded" : "multiply";
}

/// <summary>
/// Rewrites a quantized layer into <see cref="VtaLayerForm"/>. VTA's ALU has no multiply, so the real multiplier
/// M_c = s_x·s_w,c / s_o of output channel c is moved into the weights: w'_c = round((w_c − zw_c)·M_c·2^k_c) with the
/// largest k_c in 0..15 that keeps |w'_c| ≤ 127, and the bias becomes round(b_c·M_c·2^k_c) − zx·Σw'_c + 2^(k_c−1), so
/// that an arithmetic right shift by k_c rounds to nearest (ties up). The only approximation is rounding w'.
/// </summary>
public static class VtaRequantization
{
    /// <summary>The largest shift every VTA design executes the same way (fsim, HLS and Chisel agree on 0..15).</summary>
    public const int MaxShift = 15;

    /// <summary>Headroom kept below int32 overflow for the sums and the bias (|Σ x·w'| ≤ K·128·127).</summary>
    private const long AccumulatorLimit = int.MaxValue;

    /// <summary>
    /// The form of a layer with <paramref name="channels"/> output channels whose weights are laid out channel-major
    /// (OIHW, or [U, K] for dense). Returns null with a reason when some channel's multiplier is too large even at
    /// shift 0 (|w'| would exceed 127), or when the bias would not fit in int32.
    /// </summary>
    public static VtaLayerForm? Rewrite(ReadOnlySpan<int> weights, int channels, ReadOnlySpan<int> weightZeroPoints, ReadOnlySpan<double> multipliers,
        ReadOnlySpan<int> bias, int inputZeroPoint, out string? reason)
    {
        int perChannel = weights.Length / channels;
        var w = new sbyte[weights.Length];
        var b = new int[channels];
        var k = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<int> row = weights.Slice(c * perChannel, perChannel);
            int zw = weightZeroPoints.Length == 1 ? weightZeroPoints[0] : weightZeroPoints[c];
            double m = multipliers[c];
            int maxAbs = 0;
            foreach (int v in row)
            {
                maxAbs = Math.Max(maxAbs, Math.Abs(v - zw));
            }

            int shift = ChooseShift(maxAbs, m);
            if (shift < 0)
            {
                reason = $"output channel {c}: multiplier {m:G4} × max |w − zw| {maxAbs} exceeds 127 even without a shift";
                return null;
            }

            // A smaller shift keeps a huge bias inside int32 (it only happens for channels with tiny weights).
            long headroom = (long)perChannel * 128 * 127;
            Span<sbyte> channelWeights = w.AsSpan(c * perChannel, perChannel);
            int channelBias = bias.IsEmpty ? 0 : bias[c];
            long folded = Fold(row, zw, Math.ScaleB(m, shift), shift, channelBias, inputZeroPoint, channelWeights);
            while (Math.Abs(folded) + headroom > AccumulatorLimit)
            {
                if (--shift < 0)
                {
                    reason = $"output channel {c}: the folded bias leaves no int32 headroom for {perChannel} products";
                    return null;
                }

                folded = Fold(row, zw, Math.ScaleB(m, shift), shift, channelBias, inputZeroPoint, channelWeights);
            }
            b[c] = (int)folded;
            k[c] = shift;
        }

        reason = null;
        return new VtaLayerForm(w, b, k);
    }

    /// <summary>Writes w' = round((w − zw)·scale) and returns the folded bias round(b·scale) − zx·Σw' + 2^(k−1).</summary>
    private static long Fold(ReadOnlySpan<int> row, int zw, double scale, int shift, int bias, int inputZeroPoint, Span<sbyte> w)
    {
        long sum = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int q = (int)Math.Round((row[i] - zw) * scale, MidpointRounding.AwayFromZero);
            w[i] = (sbyte)q;
            sum += q;
        }

        return (long)Math.Round(bias * scale, MidpointRounding.AwayFromZero) - (inputZeroPoint * sum) + (shift > 0 ? 1L << (shift - 1) : 0);
    }

    /// <summary>The largest k in 0..15 with round(maxAbs·M·2^k) ≤ 127, or −1 when even k = 0 is too large.</summary>
    public static int ChooseShift(int maxAbs, double multiplier)
    {
        for (int k = MaxShift; k >= 0; k--)
        {
            if (Math.Round(maxAbs * Math.ScaleB(multiplier, k), MidpointRounding.AwayFromZero) <= sbyte.MaxValue)
            {
                return k;
            }
        }

        return -1;
    }
}
