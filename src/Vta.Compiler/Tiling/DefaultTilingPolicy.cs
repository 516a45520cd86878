using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tiling;

/// <summary>
/// The default tiling: an exhaustive walk over whole-divisor tiles of the batch, group and channel dimensions and
/// every distinct tile height and width (ragged last tiles allowed), both loop orders and one or two accumulator
/// buffers, keeping the fitting candidate that moves the fewest bytes (plus a small per-instruction charge). For each
/// shape only the largest input chunk that fits is tried: a smaller chunk never moves fewer bytes.
/// </summary>
public sealed class DefaultTilingPolicy : ITilingPolicy
{
    public static DefaultTilingPolicy Instance { get; } = new();

    public ConvTiling Choose(ConvProblem problem, Epilogue epilogue, VtaConfig config)
    {
        ConvTiling? best = null;
        double bestCost = double.MaxValue;
        foreach (var s in TilingSpace.Fitting(problem, epilogue, config))
        {
            double cost = s.Cost;
            if (cost < bestCost)
            {
                (best, bestCost) = (s.T, cost);
            }
        }

        return best ?? throw NothingFits(problem, epilogue, config);
    }

    /// <summary>The error for a layer whose smallest tile does not fit, naming each short buffer.</summary>
    public static VtaCompileException NothingFits(ConvProblem problem, Epilogue epilogue, VtaConfig config)
    {
        var smallest = new ConvSchedule(problem, new ConvTiling(1, 1, 1, 1, 1, 1, LoopOrder.WeightsOuter, 1), epilogue, config);
        var shortfalls = smallest.Shortfalls();
        string detail = shortfalls.Count > 0 ? string.Join("; ", shortfalls) : "no tile satisfies every buffer at once";
        return new VtaCompileException(problem.Layer, $"no tiling fits {config.Name} even with a 1×1 output tile of one block: {detail}");
    }

    /// <summary>Distinct tile sizes ⌈grid / k⌉: every way of cutting the axis into k tiles.</summary>
    internal static int[] TileSizes(int grid)
    {
        var sizes = new SortedSet<int>();
        for (int k = 1; k <= grid; k++)
        {
            sizes.Add((grid + k - 1) / k);
        }

        return [.. sizes.Reverse()];
    }

    internal static IEnumerable<int> Divisors(int n) => Enumerable.Range(1, n).Where(d => n % d == 0).Reverse();
}
