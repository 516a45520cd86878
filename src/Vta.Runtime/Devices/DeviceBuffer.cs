namespace Vta.Runtime.Devices;

/// <summary>A region of device DRAM: a physical address and a length. Slices share the allocation.</summary>
public sealed class DeviceBuffer
{
    internal DeviceBuffer(IVtaDevice device, uint physAddr, long bytes, DeviceBuffer? parent = null)
    {
        Device = device;
        PhysAddr = physAddr;
        Bytes = bytes;
        Parent = parent;
    }

    public IVtaDevice Device { get; }

    public uint PhysAddr { get; }

    public long Bytes { get; }

    /// <summary>The allocation this is a slice of, or null for an allocation.</summary>
    public DeviceBuffer? Parent { get; }

    public bool IsFreed => (Parent ?? this)._freed;

    private bool _freed;

    internal void MarkFreed() => _freed = true;

    /// <summary>Refuses a buffer of another device or one already freed.</summary>
    public void EnsureUsableOn(IVtaDevice device)
    {
        if (!ReferenceEquals(Device, device))
        {
            throw new VtaRuntimeException($"buffer {this} belongs to device '{Device.Name}', not to this one");
        }

        if (IsFreed)
        {
            throw new VtaRuntimeException($"buffer {this} was freed");
        }
    }

    /// <summary>As <see cref="EnsureUsableOn"/>, and the byte range [offset, offset + length) must lie inside the buffer.</summary>
    public void EnsureRange(IVtaDevice device, long offset, long length)
    {
        EnsureUsableOn(device);
        if (offset < 0 || length < 0 || offset + length > Bytes)
        {
            throw new VtaRuntimeException($"copy of {length} bytes at offset {offset} is outside the {Bytes}-byte buffer {this}");
        }
    }

    public DeviceBuffer Slice(long offset, long bytes)
    {
        if (offset < 0 || bytes < 0 || offset + bytes > Bytes)
        {
            throw new VtaRuntimeException($"slice [{offset}, {offset + bytes}) is outside the {Bytes}-byte buffer at 0x{PhysAddr:X8}");
        }

        return new DeviceBuffer(Device, (uint)(PhysAddr + offset), bytes, Parent ?? this);
    }

    public override string ToString() => $"0x{PhysAddr:X8}+{Bytes}";
}
