namespace Vta.Sim.Tests;

public class DramTests
{
    [Fact]
    public void FirstAllocationIsPageOneAndAddressZeroIsInvalid()
    {
        var dram = new Dram();
        Assert.Equal(4096u, dram.Alloc(1));
        var e = Assert.Throws<DramException>(() => dram.Span(0, 1));
        Assert.Equal(0u, e.Address);
        Assert.Contains("0x00000000", e.Message);
    }

    [Fact]
    public void AllocationsArePageRoundedAndPageAligned()
    {
        var dram = new Dram();
        uint a = dram.Alloc(4097);      // two pages: 4096..12287
        uint b = dram.Alloc(10);        // next page: 12288
        uint c = dram.Alloc(4096);      // exactly one page
        Assert.Equal(4096u, a);
        Assert.Equal(3u * 4096, b);
        Assert.Equal(4u * 4096, c);
        Assert.Equal(8192, dram.Span(a, 8192).Length); // the whole rounded allocation is addressable
        Assert.Throws<DramException>(() => dram.Span(a, 8193));
        Assert.Equal(4 * 4096, dram.LiveBytes);
    }

    [Fact]
    public void FreedBlockIsReusedWholeSmallestFirst()
    {
        var dram = new Dram();
        uint big = dram.Alloc(3 * 4096);
        uint small = dram.Alloc(2 * 4096);
        uint tail = dram.Alloc(1);
        dram.Free(big);
        dram.Free(small);
        Assert.Equal(small, dram.Alloc(100));    // the 2-page block fits and is smaller than the 3-page one
        Assert.Equal(big, dram.Alloc(2 * 4096)); // the 3-page block is the only free one left with enough pages
        Assert.Equal(tail + 4096, dram.Alloc(1)); // nothing free: a new page at the end
        Assert.Equal(3 * 4096, dram.Span(big, 3 * 4096).Length); // reused whole, not split
    }

    [Fact]
    public void ReusedBlockIsZeroed()
    {
        var dram = new Dram();
        uint a = dram.Alloc(16);
        dram.Write(a, [1, 2, 3]);
        dram.Free(a);
        uint b = dram.Alloc(16);
        Assert.Equal(a, b);
        var back = new byte[3];
        dram.Read(b, back);
        Assert.Equal(new byte[3], back);
    }

    [Fact]
    public void InteriorAddressesWorkAndRangesMustStayInsideOneAllocation()
    {
        var dram = new Dram();
        uint a = dram.Alloc(4096);
        uint b = dram.Alloc(4096);
        dram.Write(a + 100, [7, 8, 9]);
        var back = new byte[2];
        dram.Read(a + 101, back);
        Assert.Equal(new byte[] { 8, 9 }, back);
        // Crossing from one allocation into the next is refused even though the pages are adjacent.
        var e = Assert.Throws<DramException>(() => dram.Span(a + 4000, 200));
        Assert.Equal(a + 4000, e.Address);
        Assert.Equal(1, dram.Span(b + 4095, 1).Length);
        Assert.Throws<DramException>(() => dram.Span(b + 4096, 1));
    }

    [Fact]
    public void FreedMemoryAndBadFreesAreErrors()
    {
        var dram = new Dram();
        uint a = dram.Alloc(100);
        Assert.Throws<DramException>(() => dram.Free(a + 4));
        dram.Free(a);
        Assert.Throws<DramException>(() => dram.Free(a));
        Assert.Throws<DramException>(() => dram.Span(a, 1));
        Assert.Throws<DramException>(() => dram.Free(12345 * 4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => dram.Alloc(0));
    }
}
