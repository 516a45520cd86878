namespace Vta.Sim;

/// <summary>
/// Simulated physical memory, allocated in 4 KiB pages as TVM's simulator does: an allocation starting at page p has the
/// physical address (p + 1) × 4096, so address 0 is never valid. Freed blocks are kept and the smallest free block with
/// enough pages is reused whole. Each allocation is one byte array; lookups binary-search the blocks sorted by address.
/// </summary>
public sealed class Dram
{
    public const int PageBytes = 4096;

    // Every block ever created (live or free), sorted by address; blocks never move or merge.
    private readonly List<Block> _blocks = [];
    private long _nextPage;

    /// <summary>Bytes in live allocations (page-rounded).</summary>
    public long LiveBytes { get; private set; }

    /// <summary>Allocates at least <paramref name="bytes"/> bytes, zero-filled, page-aligned; returns the physical address.</summary>
    public uint Alloc(long bytes)
    {
        if (bytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "an allocation needs at least one byte");
        }

        long pages = (bytes + PageBytes - 1) / PageBytes;
        Block? best = null;
        foreach (var b in _blocks)
        {
            if (!b.Live && b.Pages >= pages && (best is null || b.Pages < best.Pages))
            {
                best = b;
            }
        }

        if (best is not null)
        {
            // Unlike TVM (stale contents), a reused block is zeroed so runs are reproducible.
            Array.Clear(best.Data);
            best.Live = true;
            LiveBytes += best.Data.Length;
            return best.Address;
        }

        long end = (_nextPage + 1 + pages) * PageBytes;
        if (end > (long)uint.MaxValue + 1 || pages * PageBytes > Array.MaxLength)
        {
            throw new DramException($"cannot allocate {bytes} bytes: the 32-bit physical address space is exhausted");
        }

        var block = new Block((uint)((_nextPage + 1) * PageBytes), pages, new byte[pages * PageBytes]) { Live = true };
        _nextPage += pages;
        _blocks.Add(block); // addresses grow monotonically, so the list stays sorted
        LiveBytes += block.Data.Length;
        return block.Address;
    }

    /// <summary>Frees the allocation starting exactly at <paramref name="addr"/>.</summary>
    public void Free(uint addr)
    {
        int i = FindBlock(addr);
        if (i < 0 || _blocks[i].Address != addr || !_blocks[i].Live)
        {
            throw new DramException($"free of 0x{addr:X8}: not the start of a live allocation", addr);
        }

        _blocks[i].Live = false;
        LiveBytes -= _blocks[i].Data.Length;
    }

    /// <summary>The bytes [addr, addr + length), which must lie inside one live allocation (interior addresses allowed).</summary>
    public Span<byte> Span(uint addr, long length)
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "length must not be negative");
        }

        int i = FindBlock(addr);
        if (i < 0 || !_blocks[i].Live)
        {
            throw new DramException($"DRAM address 0x{addr:X8} is not inside a live allocation", addr);
        }

        var block = _blocks[i];
        long offset = addr - block.Address;
        if (offset + length > block.Data.Length)
        {
            throw new DramException(
                $"DRAM range 0x{addr:X8}..0x{addr + length - 1:X8} ({length} bytes) runs past the end of the allocation " +
                $"0x{block.Address:X8}..0x{block.Address + block.Data.Length - 1:X8}", addr);
        }

        return block.Data.AsSpan((int)offset, (int)length);
    }

    public void Write(uint addr, ReadOnlySpan<byte> data) => data.CopyTo(Span(addr, data.Length));

    public void Read(uint addr, Span<byte> dest) => Span(addr, dest.Length).CopyTo(dest);

    /// <summary>Index of the block whose page range contains addr, or −1.</summary>
    private int FindBlock(uint addr)
    {
        int lo = 0;
        int hi = _blocks.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var b = _blocks[mid];
            if (addr < b.Address)
            {
                hi = mid - 1;
            }
            else if (addr - b.Address >= (ulong)b.Data.Length)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }

    private sealed class Block(uint address, long pages, byte[] data)
    {
        public uint Address { get; } = address;

        public long Pages { get; } = pages;

        public byte[] Data { get; } = data;

        public bool Live { get; set; }
    }
}
