using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim.Races;

namespace Vta.Sim;

/// <summary>
/// What the behavioral and timing simulators share: one <see cref="VtaCore"/> doing the data work and counting, the
/// decoder, and the core's settings. They differ only in how they schedule the modules.
/// </summary>
public abstract class SimulatorBase
{
    private protected SimulatorBase(VtaConfig config, Dram dram)
    {
        Core = new VtaCore(config, dram);
        Decoder = new InsnDecoder(config);
    }

    public VtaConfig Config => Core.Config;

    public Dram Dram => Core.Dram;

    /// <summary>Accumulates over runs until <see cref="SimCounters.Clear"/>.</summary>
    public SimCounters Counters => Core.Counters;

    public SramBuffers Sram => Core.Sram;

    /// <summary>The data engine.</summary>
    public VtaCore Core { get; }

    public PortBases Bases
    {
        get => Core.Bases;
        set => Core.Bases = value ?? throw new ArgumentNullException(nameof(value));
    }

    public OutSemantics Semantics
    {
        get => Core.Semantics;
        set => Core.Semantics = value;
    }

    /// <summary>Sees every instruction's SRAM accesses, for example a <see cref="RaceChecker"/> (null by default).</summary>
    public ISramAccessObserver? AccessObserver
    {
        get => Core.AccessObserver;
        set => Core.AccessObserver = value;
    }

    /// <summary>TVM's kSkipExec: count (and time) without moving data.</summary>
    public bool SkipExecution
    {
        get => Core.SkipExecution;
        set => Core.SkipExecution = value;
    }

    private protected InsnDecoder Decoder { get; }
}
