using Vta.Compiler.Graphs;
using Vta.Frontend.Labels;

namespace Vta.Cli.Commands.Classify;

/// <summary>
/// Our output against a reference's: top-1 equality, how many of the top-k classes both have, and the largest
/// difference in the output's real units and in output quantization steps (LSB; null when the output has no step), and
/// where the reference's top-1 class ranks in our output (1 = our top-1). <see cref="ReferenceTop1Ties"/> lists every class
/// that has the reference's highest output value: when several do (a quantized output puts two classes on the same step),
/// the reference's own argmax only picks the lowest index, and our top-1 agrees with it when it is any of them.
/// </summary>
internal sealed record ReferenceComparison(string Source, Prediction Top1, Prediction ReferenceTop1, int TopKOverlap, int K, double MaxAbsDiff, double? MaxLsbDiff,
    int ReferenceTop1Rank, IReadOnlyList<int> ReferenceTop1Ties)
{
    /// <summary>Our top-1 is the class the reference's argmax gives.</summary>
    public bool Top1Equal => Top1.Index == ReferenceTop1.Index;

    /// <summary>Our top-1 has the reference's highest value: equal, or another class the reference scores exactly as high.</summary>
    public bool Top1Agrees => ReferenceTop1Ties.Contains(Top1.Index);

    /// <summary>The reference scores more than one class highest.</summary>
    public bool ReferenceTied => ReferenceTop1Ties.Count > 1;

    public static ReferenceComparison Compare(ReferenceOutput reference, Tensor ours, ModelOutput output, LabelSet? labels, int k = 5)
    {
        if (ours.Length != reference.Output.Length)
        {
            throw new InvalidDataException($"{reference.Source}: the reference output has {reference.Output.Length} values, ours {ours.Length}");
        }

        float[] a = ours.Dequantize(), e = reference.Output.Dequantize();
        double maxAbs = 0;
        for (int i = 0; i < a.Length; i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs((double)a[i] - e[i]));
        }

        double? lsb = output.Lsb is { } step ? Math.Round(maxAbs / step, 3) : null;
        k = Math.Min(k, a.Length);
        int[] ta = TopK.Indices(a, k), te = TopK.Indices(e, k);
        return new ReferenceComparison(reference.Source, PredictionAt(ta[0], output.Scores(ours), labels), PredictionAt(te[0], output.Scores(reference.Output), labels),
            ta.Intersect(te).Count(), k, maxAbs, lsb, 1 + a.Count(v => v > a[te[0]]), TiedWithMax(e));
    }

    /// <summary>Every index holding the largest value, ascending (compared on the stored values, so quantized steps tie exactly).</summary>
    internal static int[] TiedWithMax(float[] values)
    {
        float max = values.Max();
        return [.. Enumerable.Range(0, values.Length).Where(i => values[i] == max)];
    }

    private static Prediction PredictionAt(int index, float[] scores, LabelSet? labels) => new(index, labels?.NameOf(index) ?? $"#{index}", scores[index]);
}
