using Vta.Compiler.Graphs;

namespace Vta.Compiler.Models;

/// <summary>
/// How far one classifier output is from another of the same type: top-1 agreement, overlap of the top-k sets, and
/// the largest difference in output steps (LSBs) and in dequantized score.
/// </summary>
public sealed record OutputComparison(int Top1, int ExpectedTop1, int TopKOverlap, int K, int MaxAbsDiff, float MaxAbsScoreDiff, int Differing)
{
    public bool Top1Agrees => Top1 == ExpectedTop1;

    public static OutputComparison Compare(Tensor actual, Tensor expected, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"outputs of {actual.Length} and {expected.Length} elements cannot be compared");
        }

        float[] a = actual.Dequantize(), e = expected.Dequantize();
        int[] ta = TopIndices(a, k), te = TopIndices(e, k);
        int maxDiff = 0, differing = 0;
        if (actual.DType.IsInteger() && expected.DType.IsInteger())
        {
            int[] qa = actual.ToInt32Values(), qe = expected.ToInt32Values();
            for (int i = 0; i < qa.Length; i++)
            {
                int d = Math.Abs(qa[i] - qe[i]);
                maxDiff = Math.Max(maxDiff, d);
                differing += d == 0 ? 0 : 1;
            }
        }

        float maxScore = 0;
        for (int i = 0; i < a.Length; i++)
        {
            maxScore = Math.Max(maxScore, Math.Abs(a[i] - e[i]));
        }

        return new OutputComparison(ta[0], te[0], ta.Intersect(te).Count(), ta.Length, maxDiff, maxScore, differing);
    }

    /// <summary>The k largest, largest first; ties by lower index.</summary>
    public static int[] TopIndices(IReadOnlyList<float> scores, int k) =>
        [.. Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k)];
}
