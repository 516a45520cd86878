using Vta.Hardware.Config;
using Vta.Sim;

namespace Vta.Runtime.Devices;

/// <summary>The in-process behavioral simulator as a device. Port base registers stay 0, as TVM's drivers set them.</summary>
public sealed class SimDevice : IVtaDevice
{
    private readonly Dram _dram = new();
    private readonly BehavioralSimulator _sim;

    public SimDevice(VtaConfig config, OutSemantics semantics = OutSemantics.Fsim)
    {
        Config = config;
        _sim = new BehavioralSimulator(config, _dram) { Semantics = semantics };
    }

    public string Name => "sim";

    public VtaConfig Config { get; }

    /// <summary>TVM's debug flag kSkipExec: count without moving data.</summary>
    public bool SkipExecution
    {
        get => _sim.SkipExecution;
        set => _sim.SkipExecution = value;
    }

    public BehavioralSimulator Simulator => _sim;

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
        _sim.Run(insns.PhysAddr, insnCount);
        return new DeviceRunResult(insnCount);
    }

    public SimCounters ReadCounters()
    {
        var copy = new SimCounters();
        copy.Add(_sim.Counters);
        return copy;
    }

    public void ClearCounters() => _sim.Counters.Clear();

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
