using Vta.Hardware.Config;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Runtime.Devices;

/// <summary>
/// The timing simulator as a device: the same data and counters as <see cref="SimDevice"/>, and every run's cycles.
/// <see cref="LastReport"/> is the latest run's report, <see cref="TotalReport"/> the sum since the last
/// <see cref="ClearCounters"/> (like tsim's profiler, which clears the cycle count with the counters).
/// </summary>
public sealed class TimingDevice : DramDevice
{
    private readonly TimingSimulator _sim;
    private readonly List<TimingReport> _runs = [];

    public TimingDevice(VtaConfig config, OutSemantics semantics = OutSemantics.Fsim, TimingParameters? parameters = null)
        : base(config)
    {
        _sim = new TimingSimulator(config, Dram, parameters) { Semantics = semantics };
        TotalReport = TimingReport.Empty(_sim.Parameters.ClockMHz);
    }

    public override string Name => "timing";

    /// <summary>TVM's debug flag kSkipExec: count and time without moving data.</summary>
    public bool SkipExecution
    {
        get => _sim.SkipExecution;
        set => _sim.SkipExecution = value;
    }

    public TimingSimulator Simulator => _sim;

    public TimingReport? LastReport { get; private set; }

    /// <summary>The latest run's per-instruction times, for per-segment figures.</summary>
    public TimingTrace? LastTrace => _sim.LastTrace;

    public TimingReport TotalReport { get; private set; }

    /// <summary>Each run's report since the last clear, in order (one per synchronization of a command queue).</summary>
    public IReadOnlyList<TimingReport> RunReports => _runs;

    protected override SimCounters LiveCounters => _sim.Counters;

    protected override DeviceRunResult RunAt(uint insnPhysAddr, int insnCount)
    {
        var report = _sim.Run(insnPhysAddr, insnCount);
        LastReport = report;
        TotalReport = TotalReport.Add(report);
        _runs.Add(report);
        return new DeviceRunResult(insnCount, report.Cycles);
    }

    /// <summary>Clears the seven counters and the accumulated timing.</summary>
    public override void ClearCounters()
    {
        base.ClearCounters();
        TotalReport = TimingReport.Empty(_sim.Parameters.ClockMHz);
        _runs.Clear();
    }
}
