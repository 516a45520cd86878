namespace Vta.Frontend.Labels;

/// <summary>One ranked class.</summary>
public readonly record struct Prediction(int Index, string Label, float Score);

public static class TopK
{
    /// <summary>
    /// The indices of the k largest scores, largest first; equal scores keep index order (lower index first),
    /// so results are deterministic. NaN ranks below every number.
    /// </summary>
    public static int[] Indices(ReadOnlySpan<float> scores, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        k = Math.Min(k, scores.Length);
        var best = new List<int>(k + 1);
        for (int i = 0; i < scores.Length; i++)
        {
            // Insertion into a short sorted list: k is small (5) and the class count modest (≤ a few thousand).
            int pos = best.Count;
            while (pos > 0 && Greater(scores[i], scores[best[pos - 1]]))
            {
                pos--;
            }

            if (pos < k)
            {
                best.Insert(pos, i);
                if (best.Count > k)
                {
                    best.RemoveAt(k);
                }
            }
        }

        return best.ToArray();
    }

    public static IReadOnlyList<Prediction> Select(ReadOnlySpan<float> scores, LabelSet? labels, int k)
    {
        int[] indices = Indices(scores, k);
        var result = new Prediction[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            result[i] = new Prediction(index, labels?.NameOf(index) ?? $"#{index}", scores[index]);
        }

        return result;
    }

    /// <summary>Numerically stable softmax, for models whose output is logits.</summary>
    public static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var result = new float[logits.Length];
        if (logits.Length == 0)
        {
            return result;
        }

        float max = float.NegativeInfinity;
        foreach (float v in logits)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double e = Math.Exp(logits[i] - max);
            result[i] = (float)e;
            sum += e;
        }

        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (float)(result[i] / sum);
        }

        return result;
    }

    private static bool Greater(float a, float b) => !float.IsNaN(a) && (float.IsNaN(b) || a > b);
}
