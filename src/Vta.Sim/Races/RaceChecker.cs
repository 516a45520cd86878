using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Races;

/// <summary>
/// A happens-before race checker over the three modules (load, compute, store). Each instruction gets a vector clock:
/// program order within its module, joined with the clock of the instruction whose push its pop takes (the k-th pop of
/// a queue pairs with the k-th push). Every SRAM element remembers its last writer and, per module, its last reader;
/// a cross-module access that is not ordered after them is a <see cref="Race"/>. The simulator runs one sequential
/// order, so such programs still compute the right answer there but may not on hardware. Races are kept per run
/// (<see cref="BeginRun"/> forgets the previous one, which ended with every module done).
/// </summary>
public sealed class RaceChecker : ISramAccessObserver
{
    private const int Modules = 3;

    private readonly Shadow[] _shadows;
    private readonly int[][] _clocks = [new int[Modules], new int[Modules], new int[Modules]];
    private readonly Queue<int[]>[] _tokens = [new(), new(), new(), new()];
    private readonly HashSet<(int Earlier, int Later, SramBuffer Buffer)> _seen = [];
    private readonly List<Race> _races = [];
    private IReadOnlyList<Instruction> _program = [];
    private int[] _module = [];
    private int[] _seq = [];
    private int _current = -1;
    private bool _skipOperandReads;

    public RaceChecker(VtaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _shadows =
        [
            new Shadow(config.InpBuffDepth), new Shadow(config.WgtBuffDepth), new Shadow(config.AccBuffDepth),
            new Shadow(config.OutBuffDepth), new Shadow(config.UopBuffDepth),
        ];
    }

    /// <summary>How many races <see cref="Races"/> keeps; <see cref="RaceCount"/> counts them all.</summary>
    public int MaxRecorded { get; init; } = 100;

    /// <summary>The last run's races, one per (earlier instruction, later instruction, buffer), in the order found.</summary>
    public IReadOnlyList<Race> Races => _races;

    public int RaceCount => _seen.Count;

    /// <summary>
    /// Whether a reset GEMM's INP/WGT reads count (off by default). Only the bitstream's reset reads them, and only to
    /// write old_acc + dot to OUT, a value every correct program overwrites before it stores the tile (the reset is
    /// there to zero ACC); so an unordered LOAD of those elements cannot change any result. The reset's ACC/OUT writes
    /// are always checked.
    /// </summary>
    public bool CheckResetOperandReads { get; init; }

    public void BeginRun(IReadOnlyList<Instruction> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        _program = program;
        _module = new int[program.Count];
        _seq = new int[program.Count];
        var counts = new int[Modules];
        for (int i = 0; i < program.Count; i++)
        {
            int m = (int)PipelineRouting.ModuleOf(program[i]);
            _module[i] = m;
            _seq[i] = ++counts[m]; // 1-based, so a zero clock entry orders nothing
        }

        foreach (int[] c in _clocks)
        {
            Array.Clear(c);
        }

        foreach (var q in _tokens)
        {
            q.Clear();
        }

        foreach (var s in _shadows)
        {
            s.Clear();
        }

        _seen.Clear();
        _races.Clear();
        _current = -1;
        _skipOperandReads = false;
    }

    public void Instruction(int index, Instruction insn)
    {
        ArgumentNullException.ThrowIfNull(insn);
        if ((uint)index >= (uint)_module.Length)
        {
            throw new InvalidOperationException($"instruction {index} is not in the program given to BeginRun");
        }

        var module = (PipelineModule)_module[index];
        int[] clock = _clocks[(int)module];

        // The pusher ran before this pop could succeed, so its clock is already queued.
        if (insn.PopPrev)
        {
            Join(clock, PipelineRouting.PopPrevQueue(module));
        }

        if (insn.PopNext)
        {
            Join(clock, PipelineRouting.PopNextQueue(module));
        }

        clock[(int)module] = _seq[index];
        _current = index;
        _skipOperandReads = !CheckResetOperandReads && insn is GemmInsn { ResetReg: true };

        // Pushes follow the data work, so they carry this instruction's clock.
        if (insn.PushPrev && PipelineRouting.PushPrevQueue(module) is { } prev)
        {
            _tokens[(int)prev].Enqueue((int[])clock.Clone());
        }

        if (insn.PushNext && PipelineRouting.PushNextQueue(module) is { } next)
        {
            _tokens[(int)next].Enqueue((int[])clock.Clone());
        }
    }

    public void Access(SramBuffer buffer, int first, int count, SramAccess kind)
    {
        if (_current < 0)
        {
            throw new InvalidOperationException("an SRAM access before any instruction");
        }

        if (_skipOperandReads && buffer is SramBuffer.Inp or SramBuffer.Wgt)
        {
            return;
        }

        Shadow s = _shadows[(int)buffer];
        int m = _module[_current];
        int end = (int)Math.Min((long)first + count, s.Depth); // the simulator has already rejected anything out of range
        for (int e = Math.Max(first, 0); e < end; e++)
        {
            int writer = s.LastWriter[e] - 1;
            if (writer >= 0 && !Ordered(writer))
            {
                Report(writer, SramAccess.Write, kind, buffer, e);
            }

            int reads = e * Modules;
            if (kind == SramAccess.Read)
            {
                s.LastReader[reads + m] = _current + 1;
                continue;
            }

            for (int r = 0; r < Modules; r++)
            {
                int reader = s.LastReader[reads + r] - 1;
                if (reader >= 0 && !Ordered(reader))
                {
                    Report(reader, SramAccess.Read, kind, buffer, e);
                }

                // Every earlier read is now ordered before this write or reported, and this write before what follows.
                s.LastReader[reads + r] = 0;
            }

            s.LastWriter[e] = _current + 1;
        }
    }

    /// <summary>Throws a <see cref="VtaSimException"/> listing the first <paramref name="max"/> races of the last run.</summary>
    public void ThrowIfRaces(int max = 5)
    {
        if (_races.Count == 0)
        {
            return;
        }

        string list = string.Join("; ", _races.Take(max));
        string more = RaceCount > max ? $"; and {RaceCount - max} more" : "";
        throw new VtaSimException($"{RaceCount} race(s) between modules (a dependency token is missing): {list}{more}", _races[0].Later.Index);
    }

    /// <summary>Same module: program order. Otherwise the current clock must have seen the earlier instruction.</summary>
    private bool Ordered(int earlier)
    {
        int em = _module[earlier];
        int m = _module[_current];
        return em == m || _clocks[m][em] >= _seq[earlier];
    }

    private void Join(int[] clock, TokenQueue? queue)
    {
        if (queue is { } q && _tokens[(int)q].TryDequeue(out int[]? pushed))
        {
            for (int i = 0; i < Modules; i++)
            {
                clock[i] = Math.Max(clock[i], pushed[i]);
            }
        }
    }

    private void Report(int earlier, SramAccess earlierKind, SramAccess laterKind, SramBuffer buffer, int element)
    {
        if (_seen.Add((earlier, _current, buffer)) && _races.Count < MaxRecorded)
        {
            _races.Add(new Race(Side(earlier, earlierKind), Side(_current, laterKind), buffer, element));
        }
    }

    private RaceAccess Side(int index, SramAccess kind) =>
        new(index, TaskPipeline.Mnemonic(_program[index]), (PipelineModule)_module[index], kind);

    /// <summary>Per element: the last writer and each module's last reader, as instruction index + 1 (0: none).</summary>
    private sealed class Shadow(int depth)
    {
        public int Depth { get; } = depth;

        public int[] LastWriter { get; } = new int[depth];

        public int[] LastReader { get; } = new int[depth * Modules];

        public void Clear()
        {
            Array.Clear(LastWriter);
            Array.Clear(LastReader);
        }
    }
}
