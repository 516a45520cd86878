using System.Globalization;

namespace Vta.Sim.Timing;

/// <summary>The four units the timing model schedules: fetch routes instructions, the other three execute them.</summary>
public enum TimingUnit
{
    Fetch,
    Load,
    Compute,
    Store,
}

/// <summary>
/// Where one unit's cycles went. Busy + StalledOnToken + StalledOnQueueFull + Idle = the run's cycles.
/// Busy: executing (fetch: reading instruction bursts and dispatching). StalledOnToken: holding an instruction whose
/// dependency token has not arrived. StalledOnQueueFull: a push into a full dependency queue (fetch: a dispatch into a
/// full instruction queue). Idle: no instruction to work on (waiting for fetch, or finished before the run ended).
/// </summary>
public sealed record UnitTiming(TimingUnit Unit, long Busy, long StalledOnToken, long StalledOnQueueFull, long Idle)
{
    public long Total => Busy + StalledOnToken + StalledOnQueueFull + Idle;

    public string Name => Unit.ToString().ToLowerInvariant();

    public UnitTiming Add(UnitTiming other) => new(Unit, Busy + other.Busy, StalledOnToken + other.StalledOnToken,
        StalledOnQueueFull + other.StalledOnQueueFull, Idle + other.Idle);

    public UnitTiming Minus(UnitTiming other) => new(Unit, Busy - other.Busy, StalledOnToken - other.StalledOnToken,
        StalledOnQueueFull - other.StalledOnQueueFull, Idle - other.Idle);
}

/// <summary>How many instructions of a kind ran and the cycles they kept their module busy.</summary>
public sealed record KindTiming(InsnKind Kind, long Count, long Cycles)
{
    /// <summary>snake_case, as in reports: load_inp, gemm_reset, alu_imm, ...</summary>
    public string Name => string.Concat(Kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public KindTiming Add(KindTiming other) => new(Kind, Count + other.Count, Cycles + other.Cycles);

    public KindTiming Minus(KindTiming other) => new(Kind, Count - other.Count, Cycles - other.Cycles);
}

/// <summary>
/// What the timing model says about one run, or the sum of several (<see cref="Add"/>). The schema is fixed: every unit
/// of <see cref="TimingUnit"/> and every kind of <see cref="InsnKind"/> is present, in enum order, even when zero;
/// <see cref="ToList"/> gives the same figures under stable snake_case names for JSON and tables.
/// </summary>
public sealed class TimingReport
{
    public TimingReport(long cycles, double clockMHz, int runs, long instructions, long gemmUsefulCycles,
        IReadOnlyList<UnitTiming> units, IReadOnlyList<KindTiming> kinds)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(kinds);
        if (units.Count != Enum.GetValues<TimingUnit>().Length || units.Select((u, i) => (int)u.Unit != i).Any(b => b))
        {
            throw new ArgumentException("a report has one UnitTiming per TimingUnit, in enum order", nameof(units));
        }

        if (kinds.Count != Enum.GetValues<InsnKind>().Length || kinds.Select((k, i) => (int)k.Kind != i).Any(b => b))
        {
            throw new ArgumentException("a report has one KindTiming per InsnKind, in enum order", nameof(kinds));
        }

        Cycles = cycles;
        ClockMHz = clockMHz;
        Runs = runs;
        Instructions = instructions;
        GemmUsefulCycles = gemmUsefulCycles;
        Units = units;
        Kinds = kinds;
    }

    /// <summary>Cycles from the start of fetch to the end of the last instruction (summed over runs).</summary>
    public long Cycles { get; }

    public double ClockMHz { get; }

    /// <summary><see cref="Cycles"/> at the target's clock.</summary>
    public double Seconds => Cycles / (ClockMHz * 1e6);

    public int Runs { get; }

    public long Instructions { get; }

    /// <summary>Cycles in which the GEMM array did useful multiply-accumulates (non-reset uops × cycles per uop).</summary>
    public long GemmUsefulCycles { get; }

    /// <summary>GemmUsefulCycles ÷ Cycles: the share of the run in which the GEMM array was doing useful work.</summary>
    public double GemmUtilization => Cycles == 0 ? 0 : (double)GemmUsefulCycles / Cycles;

    /// <summary>Fetch, load, compute, store (enum order).</summary>
    public IReadOnlyList<UnitTiming> Units { get; }

    /// <summary>One entry per <see cref="InsnKind"/>, in enum order.</summary>
    public IReadOnlyList<KindTiming> Kinds { get; }

    public UnitTiming Unit(TimingUnit unit) => Units[(int)unit];

    public KindTiming Kind(InsnKind kind) => Kinds[(int)kind];

    /// <summary>An empty report (0 runs) to accumulate into.</summary>
    public static TimingReport Empty(double clockMHz) => new(0, clockMHz, 0, 0, 0,
        [.. Enum.GetValues<TimingUnit>().Select(u => new UnitTiming(u, 0, 0, 0, 0))],
        [.. Enum.GetValues<InsnKind>().Select(k => new KindTiming(k, 0, 0))]);

    /// <summary>The sum of two reports: runs back to back, so cycles, runs and every figure add up.</summary>
    public TimingReport Add(TimingReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ClockMHz != ClockMHz)
        {
            throw new ArgumentException($"cannot add a report at {other.ClockMHz} MHz to one at {ClockMHz} MHz", nameof(other));
        }

        return new TimingReport(Cycles + other.Cycles, ClockMHz, Runs + other.Runs, Instructions + other.Instructions,
            GemmUsefulCycles + other.GemmUsefulCycles, [.. Units.Zip(other.Units, (a, b) => a.Add(b))],
            [.. Kinds.Zip(other.Kinds, (a, b) => a.Add(b))]);
    }

    /// <summary>
    /// What was added to a running total since <paramref name="earlier"/> was taken from it (<c>total.Minus(before)</c>):
    /// the runs in between, for per-layer figures. Throws when <paramref name="earlier"/> is not a prefix of this report.
    /// </summary>
    public TimingReport Minus(TimingReport earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.ClockMHz != ClockMHz)
        {
            throw new ArgumentException($"cannot subtract a report at {earlier.ClockMHz} MHz from one at {ClockMHz} MHz", nameof(earlier));
        }

        if (earlier.Runs > Runs || earlier.Cycles > Cycles || earlier.Instructions > Instructions)
        {
            throw new ArgumentException($"the earlier report ({earlier.Runs} runs, {earlier.Cycles} cycles) is not part of this one ({Runs} runs, {Cycles} cycles)", nameof(earlier));
        }

        return new TimingReport(Cycles - earlier.Cycles, ClockMHz, Runs - earlier.Runs, Instructions - earlier.Instructions,
            GemmUsefulCycles - earlier.GemmUsefulCycles, [.. Units.Zip(earlier.Units, (a, b) => a.Minus(b))],
            [.. Kinds.Zip(earlier.Kinds, (a, b) => a.Minus(b))]);
    }

    /// <summary>
    /// Every figure under a fixed name, in a fixed order: cycles, seconds, clock_mhz, runs, instructions,
    /// gemm_useful_cycles, gemm_utilization, then {unit}_busy / _stalled_on_token / _stalled_on_queue_full / _idle for
    /// fetch, load, compute, store, then {kind}_count / _cycles for every instruction kind.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToList()
    {
        var list = new List<KeyValuePair<string, double>>
        {
            new("cycles", Cycles), new("seconds", Seconds), new("clock_mhz", ClockMHz), new("runs", Runs),
            new("instructions", Instructions), new("gemm_useful_cycles", GemmUsefulCycles), new("gemm_utilization", GemmUtilization),
        };
        foreach (var u in Units)
        {
            list.Add(new($"{u.Name}_busy", u.Busy));
            list.Add(new($"{u.Name}_stalled_on_token", u.StalledOnToken));
            list.Add(new($"{u.Name}_stalled_on_queue_full", u.StalledOnQueueFull));
            list.Add(new($"{u.Name}_idle", u.Idle));
        }

        foreach (var k in Kinds)
        {
            list.Add(new($"{k.Name}_count", k.Count));
            list.Add(new($"{k.Name}_cycles", k.Cycles));
        }

        return list;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Cycles} cycles ({Seconds * 1e3:0.###} ms at {ClockMHz} MHz), GEMM utilization {GemmUtilization:P1}, ") +
        string.Join(", ", Units.Select(u => string.Create(CultureInfo.InvariantCulture,
            $"{u.Name} busy {u.Busy}/stalled {u.StalledOnToken + u.StalledOnQueueFull}/idle {u.Idle}")));
}
