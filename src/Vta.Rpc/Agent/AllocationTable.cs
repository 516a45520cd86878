using Grpc.Core;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Agent;

/// <summary>The board's live allocations by physical address, so a client's address (of a buffer or a slice) finds its buffer.</summary>
internal sealed class AllocationTable
{
    private readonly SortedList<uint, DeviceBuffer> _buffers = [];

    public long LiveBytes { get; private set; }

    public int Count => _buffers.Count;

    public IEnumerable<DeviceBuffer> All => _buffers.Values;

    public void Add(DeviceBuffer buffer)
    {
        _buffers.Add(buffer.PhysAddr, buffer);
        LiveBytes += buffer.Bytes;
    }

    public DeviceBuffer Remove(uint addr)
    {
        if (!_buffers.Remove(addr, out var buffer))
        {
            throw new RpcFault(StatusCode.NotFound, "runtime", $"no allocation starts at 0x{addr:X8}");
        }

        LiveBytes -= buffer.Bytes;
        return buffer;
    }

    public void Clear()
    {
        _buffers.Clear();
        LiveBytes = 0;
    }

    /// <summary>The allocation holding [addr, addr + length) and the offset of addr in it.</summary>
    public (DeviceBuffer Buffer, long Offset) Find(uint addr, long length)
    {
        var keys = _buffers.Keys;
        int lo = 0, hi = keys.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (keys[mid] <= addr)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found >= 0)
        {
            var buffer = _buffers.Values[found];
            long offset = addr - buffer.PhysAddr;
            if (length >= 0 && offset + length <= buffer.Bytes)
            {
                return (buffer, offset);
            }
        }

        throw new RpcFault(StatusCode.OutOfRange, "runtime", $"{length} bytes at 0x{addr:X8} are not inside one live allocation of this board");
    }
}
