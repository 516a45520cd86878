using Vta.Compiler.ModelZoo;
using Vta.Compiler.Tiling;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tuning;

/// <summary>The candidates of one task: the whole space when it is small, else the default's choice, two more seeds and a seeded sample.</summary>
public static class CandidateSampler
{
    /// <summary>
    /// Every fitting tiling (every input chunk size, not only the largest) when there are at most
    /// <paramref name="trials"/>, else the seeds and a sample drawn without replacement from the rest. The seeds come
    /// first: the default policy's choice, then the policy's choice among one-ACC-buffer and among two-ACC-buffer tilings
    /// (the byte model prefers big single-buffered tiles; the timed search should always see the double-buffered
    /// alternative). The draw depends on the seed and the task's key, not on the order of tasks.
    /// </summary>
    public static IReadOnlyList<ConvTiling> Candidates(TuningTask task, VtaConfig config, int trials, int seed, out int spaceSize)
    {
        ArgumentNullException.ThrowIfNull(task);
        var (problem, epilogue) = task.Lowering;
        List<ConvTiling> seeds = [DefaultTilingPolicy.Instance.Choose(problem, epilogue, config)];
        foreach (int accBuffers in new[] { 2, 1 })
        {
            if (CheapestWith(task, config, accBuffers) is { } t && !seeds.Contains(t))
            {
                seeds.Add(t);
            }
        }

        var others = TilingSpace.Fitting(problem, epilogue, config, everyChunk: true).Select(s => s.T).Where(t => !seeds.Contains(t)).ToList();
        spaceSize = others.Count + seeds.Count;
        seeds = [.. seeds.Take(Math.Max(1, trials))];
        int take = Math.Min(others.Count, Math.Max(0, trials - seeds.Count));
        var rng = new SeededRandom(seed ^ StableHash(task.Key));
        for (int i = 0; i < take; i++)
        {
            // Partial Fisher–Yates: the first take entries become a uniform sample without replacement.
            int j = i + (int)(rng.NextDouble() * (others.Count - i));
            (others[i], others[j]) = (others[j], others[i]);
        }

        return [.. seeds, .. others.Take(take)];
    }

    /// <summary>The default policy's figure of merit, over the tilings with <paramref name="accBuffers"/> ACC buffers only (null if none fits).</summary>
    public static ConvTiling? CheapestWith(TuningTask task, VtaConfig config, int accBuffers)
    {
        ArgumentNullException.ThrowIfNull(task);
        return TilingSpace.Fitting(task.Lowering.Problem, task.Lowering.Epilogue, config)
            .Where(s => s.T.AccBuffers == accBuffers)
            .MinBy(s => s.Cost)?.T;
    }

    /// <summary>FNV-1a over the key's characters: the same on every run and runtime (string.GetHashCode is randomized).</summary>
    private static int StableHash(string s)
    {
        uint h = 2166136261;
        foreach (char ch in s)
        {
            h = (h ^ ch) * 16777619;
        }

        return (int)h;
    }
}
