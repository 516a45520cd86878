using Vta.Hardware.Config;
using Vta.Sim;

namespace Vta.Runtime.Devices;

/// <summary>
/// A device whose DRAM is an in-process <see cref="Dram"/> (the behavioral and timing simulators): buffers, copies and
/// their checks live here once; a subclass says how a stream runs and where its counters are.
/// </summary>
public abstract class DramDevice : IVtaDevice
{
    protected DramDevice(VtaConfig config)
    {
        Config = config;
    }

    public abstract string Name { get; }

    public VtaConfig Config { get; }

    protected Dram Dram { get; } = new();

    /// <summary>The counters the simulator accumulates.</summary>
    protected abstract SimCounters LiveCounters { get; }

    public DeviceBuffer Allocate(long bytes) => new(this, Dram.Alloc(bytes), bytes);

    public void Free(DeviceBuffer buffer)
    {
        buffer.EnsureUsableOn(this);
        if (buffer.Parent is not null)
        {
            throw new VtaRuntimeException($"buffer {buffer} is a slice; free the allocation it came from");
        }

        Dram.Free(buffer.PhysAddr);
        buffer.MarkFreed();
    }

    public void CopyIn(DeviceBuffer dst, long dstOffset, ReadOnlySpan<byte> src)
    {
        dst.EnsureRange(this, dstOffset, src.Length);
        Dram.Write((uint)(dst.PhysAddr + dstOffset), src);
    }

    public void CopyOut(DeviceBuffer src, long srcOffset, Span<byte> dst)
    {
        src.EnsureRange(this, srcOffset, dst.Length);
        Dram.Read((uint)(src.PhysAddr + srcOffset), dst);
    }

    public DeviceRunResult Run(DeviceBuffer insns, int insnCount)
    {
        insns.EnsureRange(this, 0, (long)insnCount * VtaConfig.InsnBytes);
        return RunAt(insns.PhysAddr, insnCount);
    }

    public SimCounters ReadCounters() => LiveCounters.Clone();

    public virtual void ClearCounters() => LiveCounters.Clear();

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>Runs a checked stream at a physical address.</summary>
    protected abstract DeviceRunResult RunAt(uint insnPhysAddr, int insnCount);
}
