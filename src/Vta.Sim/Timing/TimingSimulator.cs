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
    public TimingReport Run(uint insnPhysAddr, int insnCount) => Run(ProgramReader.Read(Dram, _decoder, insnPhysAddr, insnCount), insnPhysAddr);

    /// <summary>Runs a decoded program (exactly one FINISH, at the end) as if fetched from byte address <paramref name="insnAddr"/>.</summary>
    public TimingReport Run(IReadOnlyList<Instruction> program, long insnAddr = 0)
    {
        ProgramReader.Validate(program, _core);
        var cost = new CostModel(Config, _parameters, _core.Bases, _core.Semantics);
        var report = new TimingScheduler(cost).Run(program, _core.ExecuteValidated, insnAddr, out var trace);
        LastReport = report;
        LastTrace = trace;
        return report;
    }
}
