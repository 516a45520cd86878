using System.Runtime.InteropServices;

namespace Vta.Rpc.Backends.Pynq;

/// <summary>
/// PYNQ's contiguous-memory allocator, libcma (what TVM's pynq driver calls): cma_alloc, cma_get_phy_addr, cma_free.
/// Blocks are allocated uncached, so VTA and the CPU see the same bytes without cache flushes.
/// </summary>
public sealed unsafe partial class CmaMemory : IDmaMemory
{
    private readonly HashSet<nint> _live = [];

    public DmaBlock Allocate(long bytes)
    {
        if (bytes <= 0 || bytes > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), $"cannot allocate {bytes} bytes of CMA memory");
        }

        nint p;
        try
        {
            p = CmaAlloc((uint)bytes, 0);
        }
        catch (DllNotFoundException e)
        {
            throw new IOException("libcma.so is not installed: the pynq backend allocates DMA memory through PYNQ's libcma", e);
        }

        if (p == 0)
        {
            throw new IOException($"libcma could not allocate {bytes} contiguous bytes (CMA exhausted?)");
        }

        ulong phys = CmaGetPhyAddr(p);
        lock (_live)
        {
            _live.Add(p);
        }

        new Span<byte>((void*)p, checked((int)bytes)).Clear();
        return new DmaBlock(checked((uint)phys), bytes, p);
    }

    public void Free(DmaBlock block)
    {
        lock (_live)
        {
            if (!_live.Remove(block.Handle))
            {
                return;
            }
        }

        CmaFree(block.Handle);
    }

    public void Write(DmaBlock block, long offset, ReadOnlySpan<byte> data) => data.CopyTo(Span(block, offset, data.Length));

    public void Read(DmaBlock block, long offset, Span<byte> dest) => Span(block, offset, dest.Length).CopyTo(dest);

    public void Dispose()
    {
        lock (_live)
        {
            foreach (nint p in _live)
            {
                CmaFree(p);
            }

            _live.Clear();
        }
    }

    private static Span<byte> Span(DmaBlock block, long offset, int length)
    {
        if (offset < 0 || offset + length > block.Bytes)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"{length} bytes at offset {offset} are outside the {block.Bytes}-byte block");
        }

        return new Span<byte>((byte*)block.Handle + offset, length);
    }

    [LibraryImport("cma", EntryPoint = "cma_alloc")]
    private static partial nint CmaAlloc(uint length, uint cacheable);

    [LibraryImport("cma", EntryPoint = "cma_get_phy_addr")]
    private static partial nuint CmaGetPhyAddrNative(nint buffer);

    [LibraryImport("cma", EntryPoint = "cma_free")]
    private static partial void CmaFree(nint buffer);

    private static ulong CmaGetPhyAddr(nint buffer) => CmaGetPhyAddrNative(buffer);
}
