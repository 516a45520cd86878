namespace Vta.Compiler.Programs;

/// <summary>
/// Static placement of activations: each region lives from the step that writes it to the last step that reads it, and
/// two regions share bytes only when their lifetimes do not overlap. Greedy first fit, largest first (good enough for
/// chains of layers; the arena is at most the sum of all regions).
/// </summary>
public sealed class MemoryPlanner(int alignment)
{
    private readonly List<Region> _regions = [];

    public int Add(long bytes, int firstStep)
    {
        _regions.Add(new Region(Align(Math.Max(1, bytes)), firstStep, firstStep));
        return _regions.Count - 1;
    }

    /// <summary>Extends region <paramref name="id"/> to be alive at <paramref name="step"/>.</summary>
    public void Use(int id, int step) => _regions[id] = _regions[id] with { Last = Math.Max(_regions[id].Last, step) };

    /// <summary>Offsets per region id, and the bytes the plan needs.</summary>
    public (long[] Offsets, long Bytes) Solve()
    {
        var offsets = new long[_regions.Count];
        var placed = new List<int>();
        long total = 0;
        foreach (int id in Enumerable.Range(0, _regions.Count).OrderByDescending(i => _regions[i].Bytes).ThenBy(i => i))
        {
            Region r = _regions[id];
            var busy = placed.Where(p => _regions[p].First <= r.Last && r.First <= _regions[p].Last)
                .Select(p => (Start: offsets[p], End: offsets[p] + _regions[p].Bytes)).OrderBy(b => b.Start);
            long at = 0;
            foreach (var (start, end) in busy)
            {
                if (at + r.Bytes <= start)
                {
                    break;
                }

                at = Math.Max(at, end);
            }

            offsets[id] = at;
            placed.Add(id);
            total = Math.Max(total, at + r.Bytes);
        }

        return (offsets, total);
    }

    private long Align(long bytes) => (bytes + alignment - 1) / alignment * alignment;

    private sealed record Region(long Bytes, int First, int Last);
}
