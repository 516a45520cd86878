using Vta.Hardware.Config;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Runtime.Devices;

/// <summary>
/// The timing simulator as a device: the same data and counters as <see cref="SimDevice"/>, and every run's cycles.
/// <see cref="LastReport"/> is the latest run's report, <see cref="TotalReport"/> the sum since the last
/// <see cref="ClearCounters"/> (like tsim's profiler, which clears the cycle count with the counters).
/// </summary>
public sealed class TimingDevice : IVtaDevice
{
    private readonly Dram _dram = new();
    private readonly TimingSimulator _sim;
    private readonly List<TimingReport> _runs = [];

    public TimingDevice(VtaConfig config, OutSemantics semantics = OutSemantics.Fsim, TimingParameters? parameters = null)
    {
        Config = config;
        _sim = new TimingSimulator(config, _dram, parameters) { Semantics = semantics };
        TotalReport = TimingReport.Empty(_sim.Parameters.ClockMHz);
    }

    public string Name => "timing";

    public VtaConfig Config { get; }

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

    public DeviceBuffer Allocate(long bytes) => new(this, _dram.Alloc(bytes), bytes);

    public void Free(DeviceBuffer buffer)
    {
        Check(buffer);
        if (buffer.Parent is not null)
        {
            throw new VtaRuntimeException($"buffer {buffer} is a slice; free the allocation it came from");
        }

        _dram.Free(buffer.PhysAddr);
        buffer.MarkFreed();
    }

    public void CopyIn(DeviceBuffer dst, long dstOffset, ReadOnlySpan<byte> src)
    {
        CheckRange(dst, dstOffset, src.Length);
        _dram.Write((uint)(dst.PhysAddr + dstOffset), src);
    }

    public void CopyOut(DeviceBuffer src, long srcOffset, Span<byte> dst)
    {
        CheckRange(src, srcOffset, dst.Length);
        _dram.Read((uint)(src.PhysAddr + srcOffset), dst);
    }

    public DeviceRunResult Run(DeviceBuffer insns, int insnCount)
    {
        CheckRange(insns, 0, (long)insnCount * VtaConfig.InsnBytes);
        var report = _sim.Run(insns.PhysAddr, insnCount);
        LastReport = report;
        TotalReport = TotalReport.Add(report);
        _runs.Add(report);
        return new DeviceRunResult(insnCount, report.Cycles);
    }

    public SimCounters ReadCounters()
    {
        var copy = new SimCounters();
        copy.Add(_sim.Counters);
        return copy;
    }

    /// <summary>Clears the seven counters and the accumulated timing.</summary>
    public void ClearCounters()
    {
        _sim.Counters.Clear();
        TotalReport = TimingReport.Empty(_sim.Parameters.ClockMHz);
        _runs.Clear();
    }

    public void Dispose()
    {
    }

    private void Check(DeviceBuffer b)
    {
        if (!ReferenceEquals(b.Device, this))
        {
            throw new VtaRuntimeException($"buffer {b} belongs to device '{b.Device.Name}', not to this one");
        }

        if (b.IsFreed)
        {
            throw new VtaRuntimeException($"buffer {b} was freed");
        }
    }

    private void CheckRange(DeviceBuffer b, long offset, long length)
    {
        Check(b);
        if (offset < 0 || length < 0 || offset + length > b.Bytes)
        {
            throw new VtaRuntimeException($"copy of {length} bytes at offset {offset} is outside the {b.Bytes}-byte buffer {b}");
        }
    }
}
