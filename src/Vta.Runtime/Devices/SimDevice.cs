using Vta.Hardware.Config;
using Vta.Sim;
using Vta.Sim.Races;

namespace Vta.Runtime.Devices;

/// <summary>The in-process behavioral simulator as a device. Port base registers stay 0, as TVM's drivers set them.</summary>
public sealed class SimDevice : DramDevice
{
    private readonly BehavioralSimulator _sim;

    public SimDevice(VtaConfig config, OutSemantics semantics = OutSemantics.Fsim)
        : base(config)
    {
        _sim = new BehavioralSimulator(config, Dram) { Semantics = semantics };
    }

    public override string Name => "sim";

    /// <summary>TVM's debug flag kSkipExec: count without moving data.</summary>
    public bool SkipExecution
    {
        get => _sim.SkipExecution;
        set => _sim.SkipExecution = value;
    }

    public BehavioralSimulator Simulator => _sim;

    /// <summary>
    /// Opt-in happens-before checking (off by default): every run goes through a <see cref="Sim.Races.RaceChecker"/>, and a
    /// run whose modules touch the same SRAM element without a dependency token ordering them throws a
    /// <see cref="VtaSimException"/> listing the first races. The simulator's own results are unaffected.
    /// </summary>
    public bool CheckRaces
    {
        get => RaceChecker is not null;
        set
        {
            RaceChecker = value ? RaceChecker ?? new RaceChecker(Config) : null;
            _sim.AccessObserver = RaceChecker;
        }
    }

    /// <summary>The checker while <see cref="CheckRaces"/> is on; it holds the last run's races.</summary>
    public RaceChecker? RaceChecker { get; private set; }

    protected override SimCounters LiveCounters => _sim.Counters;

    protected override DeviceRunResult RunAt(uint insnPhysAddr, int insnCount)
    {
        _sim.Run(insnPhysAddr, insnCount);
        RaceChecker?.ThrowIfRaces();
        return new DeviceRunResult(insnCount);
    }
}
