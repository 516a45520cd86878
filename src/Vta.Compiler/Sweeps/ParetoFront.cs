using Vta.Compiler.Resources;

namespace Vta.Compiler.Sweeps;

/// <summary>Pareto analysis of a sweep's rows: cycles against the utilization of the sweep's device (both minimized).</summary>
public static class ParetoFront
{
    /// <summary>
    /// The successful rows no other successful row beats on both cycles and utilization (ties on both keep the lower
    /// index), ordered by utilization.
    /// </summary>
    public static IReadOnlyList<SweepRow> Of(IEnumerable<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var front = new List<SweepRow>();
        long best = long.MaxValue;
        foreach (var r in rows.Where(r => r.Ok && r.Resources is not null)
                     .OrderBy(r => r.Resources!.Utilization).ThenBy(r => r.Cycles).ThenBy(r => r.Index))
        {
            if (r.Cycles < best)
            {
                front.Add(r);
                best = r.Cycles;
            }
        }

        return front;
    }

    /// <summary>For each device, the fastest successful row that fits it (by time at the clock, then cycles, then index), or null.</summary>
    public static IReadOnlyList<(FpgaDevice Device, SweepRow? Best)> BestPerDevice(IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. FpgaDevice.All.Select((d, i) => (d, rows
            .Where(r => r.Ok && r.Resources is { } res && res.Fits[i])
            .OrderBy(r => r.Seconds).ThenBy(r => r.Cycles).ThenBy(r => r.Index)
            .FirstOrDefault()))];
    }
}
