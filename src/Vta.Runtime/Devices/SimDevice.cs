using Vta.Hardware.Config;
using Vta.Sim;

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

    protected override SimCounters LiveCounters => _sim.Counters;

    protected override DeviceRunResult RunAt(uint insnPhysAddr, int insnCount)
    {
        _sim.Run(insnPhysAddr, insnCount);
        return new DeviceRunResult(insnCount);
    }
}
