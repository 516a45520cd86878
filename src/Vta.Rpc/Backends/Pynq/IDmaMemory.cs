namespace Vta.Rpc.Backends.Pynq;

/// <summary>A physically contiguous block VTA can reach by DMA: its physical address, size and a host handle.</summary>
public readonly record struct DmaBlock(uint PhysAddr, long Bytes, nint Handle);

/// <summary>Physically contiguous, device-visible memory (TVM's VTAMemAlloc on the board: PYNQ's CMA).</summary>
public interface IDmaMemory : IDisposable
{
    DmaBlock Allocate(long bytes);

    void Free(DmaBlock block);

    void Write(DmaBlock block, long offset, ReadOnlySpan<byte> data);

    void Read(DmaBlock block, long offset, Span<byte> dest);
}
