using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Timing;

/// <summary>
/// The timing simulator: decodes and validates a stream as <see cref="BehavioralSimulator"/> does, then runs it on the
/// <see cref="TimingScheduler"/>, which calls this simulator's <see cref="VtaCore"/> for each instruction's data work. So
/// data and the seven counters come from the same engine as the behavioral simulator's, and each run also yields a
/// <see cref="TimingReport"/> (cycles, seconds, per-unit busy/stalled/idle, GEMM utilization) and a <see cref="TimingTrace"/>.
/// Invalid programs, deadlocks and leftover tokens are <see cref="VtaSimException"/>s naming the instruction.
/// </summary>
public sealed class TimingSimulator
{
    private readonly VtaCore _core;
    private readonly InsnDecoder _decoder;
    private TimingParameters _parameters;

    public TimingSimulator(VtaConfig config, Dram dram, TimingParameters? parameters = null)
    {
        _core = new VtaCore(config, dram);
        _decoder = new InsnDecoder(config);
        _parameters = parameters ?? TimingParameters.For(config);
        _parameters.Validate();
    }

    public VtaConfig Config => _core.Config;

    public Dram Dram => _core.Dram;

    /// <summary>Accumulates over runs until <see cref="SimCounters.Clear"/>.</summary>
    public SimCounters Counters => _core.Counters;

    public SramBuffers Sram => _core.Sram;

    public VtaCore Core => _core;

    public PortBases Bases
    {
        get => _core.Bases;
        set => _core.Bases = value ?? throw new ArgumentNullException(nameof(value));
    }

    public OutSemantics Semantics
    {
        get => _core.Semantics;
        set => _core.Semantics = value;
    }

    /// <summary>Counts and times without moving data (TVM's kSkipExec): the fast way to time a schedule.</summary>
    public bool SkipExecution
    {
        get => _core.SkipExecution;
        set => _core.SkipExecution = value;
    }

    /// <summary>The model's latencies; defaults from <see cref="TimingParameters.For"/> this configuration.</summary>
    public TimingParameters Parameters
    {
        get => _parameters;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _parameters = value;
        }
    }

    /// <summary>The last successful run's report, or null before one.</summary>
    public TimingReport? LastReport { get; private set; }

    /// <summary>The last successful run's per-instruction times, or null before one.</summary>
    public TimingTrace? LastTrace { get; private set; }

    /// <summary>Runs <paramref name="insnCount"/> 16-byte instructions read from DRAM at <paramref name="insnPhysAddr"/>.</summary>
    public TimingReport Run(uint insnPhysAddr, int insnCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(insnCount);
        ReadOnlySpan<byte> bytes;
        try
        {
            bytes = Dram.Span(insnPhysAddr, (long)insnCount * VtaConfig.InsnBytes);
        }
        catch (DramException e)
        {
            throw new VtaSimException($"cannot read {insnCount} instructions at DRAM 0x{insnPhysAddr:X8}: {e.Message}", null, e);
        }

        var program = new Instruction[insnCount];
        for (int i = 0; i < insnCount; i++)
        {
            try
            {
                program[i] = _decoder.Decode(InsnDecoder.ReadWord(bytes[(i * VtaConfig.InsnBytes)..]), i);
            }
            catch (IsaException e)
            {
                string prefix = $"instruction {i}: ";
                throw new VtaSimException(e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message, i, e);
            }
        }

        return Run(program, insnPhysAddr);
    }

    /// <summary>Runs a decoded program (exactly one FINISH, at the end) as if fetched from byte address <paramref name="insnAddr"/>.</summary>
    public TimingReport Run(IReadOnlyList<Instruction> program, long insnAddr = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        CheckFinish(program);
        for (int i = 0; i < program.Count; i++)
        {
            _core.Validate(program[i], i);
        }

        var cost = new CostModel(Config, _parameters, _core.Bases, _core.Semantics);
        var report = new TimingScheduler(cost).Run(program, _core.ExecuteValidated, insnAddr, out var trace);
        LastReport = report;
        LastTrace = trace;
        return report;
    }

    /// <summary>The behavioral simulator's rules and messages: one FINISH, last.</summary>
    private static void CheckFinish(IReadOnlyList<Instruction> program)
    {
        if (program.Count == 0)
        {
            throw new VtaSimException("empty instruction stream: a stream must end with one FINISH");
        }

        for (int i = 0; i < program.Count - 1; i++)
        {
            if (program[i] is FinishInsn)
            {
                throw new VtaSimException($"FINISH before the end of the stream ({program.Count} instructions): FINISH must be the last instruction, and only once", i);
            }
        }

        int last = program.Count - 1;
        if (program[last] is not FinishInsn)
        {
            throw new VtaSimException($"the stream ends with {TaskPipeline.Mnemonic(program[last])}, not FINISH", last);
        }
    }
}
