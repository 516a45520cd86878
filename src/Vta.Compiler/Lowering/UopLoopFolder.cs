using Vta.Runtime.Commands;

namespace Vta.Compiler.Lowering;

/// <summary>
/// Folds a loop nest into VTA's two micro-op loop levels: the nest is every combination of the regular dimensions
/// times a list of irregular base entries (kernel taps, transposed-convolution phases). Up to two regular dimensions
/// (or chains of them whose factors line up, merged into one) become the instruction's loops; the rest are unrolled
/// into the micro-op sequence, reductions outside and outputs inside, so consecutive micro-ops write different
/// accumulators. Among the foldings that fit, the one with the fewest micro-ops wins, preferring foldings that also
/// keep the two-apart accumulator rule across loop iterations. A nest that no single kernel can hold (too many
/// micro-ops for the buffer, or no safe order) is split: one kernel per base entry, then per index of a dimension.
/// </summary>
public static class UopLoopFolder
{
    public const int MaxLoopExtent = (1 << 14) - 1;

    public static IReadOnlyList<FoldedKernel> Fold(IReadOnlyList<NestDim> dims, IReadOnlyList<UopEntry> bases, int maxUops)
    {
        if (TryFold(dims, bases, maxUops) is { } single)
        {
            return [single];
        }

        // Too many micro-ops or no hazard-free order: one kernel per base entry, then per index of the smallest dimension.
        if (bases.Count > 1)
        {
            return [.. bases.SelectMany(b => Fold(dims, [b], maxUops))];
        }

        var real = dims.Where(d => d.Extent > 1).ToList();
        if (real.Count == 0)
        {
            throw new InvalidOperationException($"a single micro-op does not fit {maxUops} micro-ops");
        }

        var cut = real.MinBy(d => d.Extent);
        var rest = new List<NestDim>(real);
        rest.Remove(cut);
        return [.. Enumerable.Range(0, cut.Extent).SelectMany(i =>
            Fold(rest, [new UopEntry(bases[0].Dst + (i * cut.Dst), bases[0].Src + (i * cut.Src), bases[0].Wgt + (i * cut.Wgt))], maxUops))];
    }

    /// <summary>Micro-ops of the best folding without building it (for tiling searches): bases × extents not covered by the two largest loop candidates.</summary>
    public static long EstimateUops(IReadOnlyList<NestDim> dims, int baseCount)
    {
        var extents = dims.Where(d => d.Extent > 1).Select(d => (long)d.Extent).OrderDescending().ToList();
        long all = extents.Aggregate((long)baseCount, (a, e) => a * e);
        long loops = extents.Where(e => e <= MaxLoopExtent).Take(2).Aggregate(1L, (a, e) => a * e);
        return all / loops;
    }

    private static FoldedKernel? TryFold(IReadOnlyList<NestDim> dims, IReadOnlyList<UopEntry> bases, int maxUops)
    {
        var real = dims.Where(d => d.Extent > 1).ToList();
        var units = LoopUnits(real);
        FoldedKernel? best = null, bestLoose = null;
        foreach (var loops in Assignments(units))
        {
            long uops = real.Where((_, i) => !loops.Any(u => u.Covers.Contains(i))).Aggregate((long)bases.Count, (a, d) => a * d.Extent);
            if (uops > maxUops || (best is not null && uops >= best.Uops.Count))
            {
                continue;
            }

            var seq = Sequence(real, bases, loops);
            if (!Hazards.SequenceIsSafe(seq))
            {
                continue;
            }

            var kernel = new FoldedKernel([.. loops.Select(u => u.Loop)], seq);
            if (Hazards.AcrossIterationsIsSafe(kernel))
            {
                best = kernel;
            }
            else if (bestLoose is null || uops < bestLoose.Uops.Count)
            {
                bestLoose = kernel;
            }
        }

        return best ?? bestLoose;
    }

    private sealed record LoopUnit(UopLoop Loop, int[] Covers);

    /// <summary>Single dimensions and chains whose factors line up (outer factor = inner extent × inner factor).</summary>
    private static List<LoopUnit> LoopUnits(List<NestDim> dims)
    {
        var units = dims.Select((d, i) => new LoopUnit(new UopLoop(d.Extent, d.Dst, d.Src, d.Wgt), [i])).ToList();
        for (int grown = 0; grown < units.Count; grown++)
        {
            var u = units[grown];
            for (int i = 0; i < dims.Count; i++)
            {
                var d = dims[i];
                var l = u.Loop;
                bool outer = d.Dst == l.Extent * l.DstFactor && d.Src == l.Extent * l.SrcFactor && d.Wgt == l.Extent * l.WgtFactor;
                long extent = (long)l.Extent * d.Extent;
                if (u.Covers.Contains(i) || !outer || extent > MaxLoopExtent || (d.IsOutput != (l.DstFactor != 0)))
                {
                    continue;
                }

                int[] covers = [.. u.Covers, i];
                if (!units.Any(x => x.Covers.Order().SequenceEqual(covers.Order())))
                {
                    units.Add(new LoopUnit(new UopLoop((int)extent, l.DstFactor, l.SrcFactor, l.WgtFactor), covers));
                }
            }
        }

        return [.. units.Where(u => u.Loop.Extent <= MaxLoopExtent)];
    }

    private static IEnumerable<LoopUnit[]> Assignments(List<LoopUnit> units)
    {
        yield return [];
        foreach (var a in units)
        {
            yield return [a];
            foreach (var b in units)
            {
                if (!a.Covers.Intersect(b.Covers).Any())
                {
                    yield return [a, b];
                }
            }
        }
    }

    /// <summary>Unrolls the dimensions not in loops: reductions, then the base entries, then outputs (innermost).</summary>
    private static List<UopEntry> Sequence(List<NestDim> dims, IReadOnlyList<UopEntry> bases, LoopUnit[] loops)
    {
        var free = dims.Where((_, i) => !loops.Any(u => u.Covers.Contains(i))).ToList();
        var reductions = free.Where(d => !d.IsOutput).ToList();
        var outputs = free.Where(d => d.IsOutput).ToList();
        var seq = new List<UopEntry>();
        foreach (var r in Combinations(reductions))
        {
            foreach (var b in bases)
            {
                foreach (var o in Combinations(outputs))
                {
                    seq.Add(new UopEntry(b.Dst + r.Dst + o.Dst, b.Src + r.Src + o.Src, b.Wgt + r.Wgt + o.Wgt));
                }
            }
        }

        return seq;
    }

    private static IEnumerable<UopEntry> Combinations(List<NestDim> dims)
    {
        IEnumerable<UopEntry> acc = [new UopEntry(0, 0, 0)];
        foreach (var d in dims)
        {
            var dim = d;
            acc = acc.SelectMany(a => Enumerable.Range(0, dim.Extent).Select(i => new UopEntry(a.Dst + i * dim.Dst, a.Src + i * dim.Src, a.Wgt + i * dim.Wgt)));
        }

        return acc;
    }
}
