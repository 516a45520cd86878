namespace Vta.Compiler.Lowering;

/// <summary>
/// The accumulator read-after-write rule of VTA's GEMM/ALU pipeline: a micro-op must not write the accumulator either
/// of the two micro-ops before it wrote. The runtime (like TVM's) checks it inside a sequence; the compiler also keeps
/// it across loop iterations where it can, because the hardware pipelines through them.
/// </summary>
public static class Hazards
{
    public static bool SequenceIsSafe(IReadOnlyList<UopEntry> seq)
    {
        for (int i = 1; i < seq.Count; i++)
        {
            if (seq[i].Dst == seq[i - 1].Dst || (i > 1 && seq[i].Dst == seq[i - 2].Dst))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The rule over the flattened execution: every window of three consecutive micro-ops writes three accumulators.</summary>
    public static bool AcrossIterationsIsSafe(FoldedKernel k)
    {
        var seq = k.Uops;
        int n = seq.Count;
        if (!SequenceIsSafe(seq))
        {
            return false;
        }

        var (outer, inner) = k.Loops.Count switch
        {
            0 => (new Runtime.Commands.UopLoop(1, 0, 0, 0), new Runtime.Commands.UopLoop(1, 0, 0, 0)),
            1 => (new Runtime.Commands.UopLoop(1, 0, 0, 0), k.Loops[0]),
            _ => (k.Loops[0], k.Loops[1]),
        };
        long iterations = (long)outer.Extent * inner.Extent;
        if (n == 1)
        {
            // A window spans two iteration steps: walk the dst offsets across a wrap of the inner loop.
            long count = Math.Min(iterations, inner.Extent + 3L);
            var dst = new List<long>();
            for (long t = 0; t < count; t++)
            {
                dst.Add(((t / inner.Extent) * outer.DstFactor) + ((t % inner.Extent) * inner.DstFactor));
            }

            return dst.Select((d, i) => i == 0 || (d != dst[i - 1] && (i == 1 || d != dst[i - 2]))).All(ok => ok);
        }

        var deltas = new List<long>();
        if (inner.Extent > 1)
        {
            deltas.Add(inner.DstFactor);
        }

        if (outer.Extent > 1)
        {
            deltas.Add(outer.DstFactor - ((long)(inner.Extent - 1) * inner.DstFactor));
        }

        foreach (long delta in deltas)
        {
            for (int a = Math.Max(0, n - 2); a < n; a++)
            {
                for (int b = 0; b < Math.Min(2, n); b++)
                {
                    if ((n - a) + b <= 2 && seq[b].Dst + delta == seq[a].Dst)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }
}
