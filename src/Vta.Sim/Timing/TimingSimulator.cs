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
public sealed class TimingSimulator : SimulatorBase
{
    private TimingParameters _parameters;

    public TimingSimulator(VtaConfig config, Dram dram, TimingParameters? parameters = null)
        : base(config, dram)
    {
        _parameters = parameters ?? TimingParameters.For(config);
        _parameters.Validate();
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
    public TimingReport Run(uint insnPhysAddr, int insnCount) => Run(ProgramReader.Read(Dram, Decoder, insnPhysAddr, insnCount), insnPhysAddr);

    /// <summary>Runs a decoded program (exactly one FINISH, at the end) as if fetched from byte address <paramref name="insnAddr"/>.</summary>
    public TimingReport Run(IReadOnlyList<Instruction> program, long insnAddr = 0)
    {
        ProgramReader.Validate(program, Core);
        Core.AccessObserver?.BeginRun(program);
        var cost = new CostModel(Config, _parameters, Core.Bases, Core.Semantics);
        var report = new TimingScheduler(cost).Run(program, Core.ExecuteValidated, insnAddr, out var trace);
        LastReport = report;
        LastTrace = trace;
        return report;
    }
}
