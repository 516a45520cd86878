namespace Vta.Runtime.Commands;

/// <summary>
/// Placement of micro-op kernels in the uop SRAM, used as a ring (TVM's UopQueue): a resident kernel is not
/// reloaded; a new kernel goes at the ring cursor, wrapping to 0 when it would not fit, and evicts the kernels it
/// overlaps. Counts hits, misses and evictions for tests and reports.
/// </summary>
internal sealed class UopCache(int depth)
{
    private readonly Dictionary<UopKernel, int> _resident = [];
    private readonly List<(UopKernel Kernel, int Begin, int End)> _placed = [];
    private int _cursor;

    public int Depth { get; } = depth;

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public long Evictions { get; private set; }

    /// <summary>Where the kernel is resident, or -1.</summary>
    public int Lookup(UopKernel kernel)
    {
        if (_resident.TryGetValue(kernel, out int begin))
        {
            Hits++;
            return begin;
        }

        return -1;
    }

    /// <summary>Chooses the SRAM range for a kernel that is not resident and evicts what it overlaps.</summary>
    public int Place(UopKernel kernel)
    {
        int n = kernel.Uops.Count;
        if (n > Depth)
        {
            throw new VtaRuntimeException($"uop kernel of {n} micro-ops does not fit the {Depth}-entry uop buffer ({kernel})");
        }

        Misses++;
        if (_cursor + n > Depth)
        {
            _cursor = 0;
        }

        int begin = _cursor;
        int end = begin + n;
        for (int i = _placed.Count - 1; i >= 0; i--)
        {
            var p = _placed[i];
            if (p.Begin < end && begin < p.End)
            {
                _resident.Remove(p.Kernel);
                _placed.RemoveAt(i);
                Evictions++;
            }
        }

        _placed.Add((kernel, begin, end));
        _resident[kernel] = begin;
        _cursor = end;
        return begin;
    }

    /// <summary>Forgets every placement (after a run the staging buffer is reused).</summary>
    public void Invalidate()
    {
        _resident.Clear();
        _placed.Clear();
        _cursor = 0;
    }
}
