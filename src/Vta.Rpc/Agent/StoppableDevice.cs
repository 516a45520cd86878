using Vta.Hardware.Config;
using Vta.Rpc.Backends;
using Vta.Runtime.Devices;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Rpc.Agent;

/// <summary>
/// The board's device as a package run sees it: every stream goes through the backend with the run's stop token (so a
/// run past the time limit ends at the next instruction, as a plain Run does), every other call checks the token (so
/// CPU steps end at the next step), and on the timing simulator each stream's report is kept for the per-layer figures.
/// Freeing is never refused: a stopped run still gives its arena back.
/// </summary>
internal sealed class StoppableDevice(IVtaDevice inner, IBoardBackend backend, CancellationToken stop) : IVtaDevice
{
    private readonly List<TimingReport> _reports = [];

    public string Name => inner.Name;

    public VtaConfig Config => inner.Config;

    /// <summary>One report per stream run, in order; empty on a board that does not model time.</summary>
    public IReadOnlyList<TimingReport> Reports => _reports;

    public DeviceBuffer Allocate(long bytes)
    {
        stop.ThrowIfCancellationRequested();
        return inner.Allocate(bytes);
    }

    public void Free(DeviceBuffer buffer) => inner.Free(buffer);

    public void CopyIn(DeviceBuffer dst, long dstOffset, ReadOnlySpan<byte> src)
    {
        stop.ThrowIfCancellationRequested();
        inner.CopyIn(dst, dstOffset, src);
    }

    public void CopyOut(DeviceBuffer src, long srcOffset, Span<byte> dst)
    {
        stop.ThrowIfCancellationRequested();
        inner.CopyOut(src, srcOffset, dst);
    }

    public DeviceRunResult Run(DeviceBuffer insns, int insnCount)
    {
        stop.ThrowIfCancellationRequested();
        insns.EnsureRange(inner, 0, (long)insnCount * VtaConfig.InsnBytes);
        DeviceRunResult result = backend.Run(inner, insns, insnCount, stop);
        if (inner is TimingDevice timing && timing.Simulator.LastReport is { } report)
        {
            _reports.Add(report);
        }

        return result;
    }

    public SimCounters ReadCounters()
    {
        stop.ThrowIfCancellationRequested();
        return inner.ReadCounters();
    }

    public void ClearCounters()
    {
        stop.ThrowIfCancellationRequested();
        inner.ClearCounters();
    }

    public void Dispose()
    {
        // The board owns the device.
    }
}
