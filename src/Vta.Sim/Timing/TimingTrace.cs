using Vta.Hardware.Isa;

namespace Vta.Sim.Timing;

/// <summary>
/// When each instruction of one run was dispatched, started its work (after its pops) and ended it (before its pushes),
/// in cycles from the start of the run. <see cref="Segment"/> sums any range of instructions, which is how per-layer or
/// per-kernel figures are made from one run.
/// </summary>
public sealed class TimingTrace
{
    private readonly IReadOnlyList<Instruction> _program;
    private readonly long[] _dispatch;
    private readonly long[] _start;
    private readonly long[] _end;
    private readonly CostModel _cost;

    internal TimingTrace(IReadOnlyList<Instruction> program, long[] dispatch, long[] start, long[] end, CostModel cost)
    {
        _program = program;
        _dispatch = dispatch;
        _start = start;
        _end = end;
        _cost = cost;
    }

    public int Count => _program.Count;

    public long DispatchCycle(int index) => _dispatch[index];

    public long StartCycle(int index) => _start[index];

    public long EndCycle(int index) => _end[index];

    public static TimingUnit UnitOf(Instruction insn) => (TimingUnit)((int)PipelineRouting.ModuleOf(insn) + 1);

    /// <summary>Figures for instructions [first, first + count): the cycles they span and each module's busy cycles in them.</summary>
    public TimingSegment Segment(int first, int count)
    {
        if (first < 0 || count <= 0 || first + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"segment [{first}, {first + count}) is outside the {Count} instructions");
        }

        long start = long.MaxValue, end = 0, useful = 0;
        var busy = new long[3];
        for (int i = first; i < first + count; i++)
        {
            start = Math.Min(start, _start[i]);
            end = Math.Max(end, _end[i]);
            busy[(int)PipelineRouting.ModuleOf(_program[i])] += _end[i] - _start[i];
            useful += _cost.GemmUsefulCycles(_program[i]);
        }

        return new TimingSegment(first, count, start, end, busy[0], busy[1], busy[2], useful);
    }
}

/// <summary>A range of one run's instructions: the span from its first start to its last end, and busy cycles in it.</summary>
public sealed record TimingSegment(int First, int Count, long StartCycle, long EndCycle, long LoadBusy, long ComputeBusy, long StoreBusy,
    long GemmUsefulCycles)
{
    public long Cycles => EndCycle - StartCycle;

    public double GemmUtilization => Cycles == 0 ? 0 : (double)GemmUsefulCycles / Cycles;
}
