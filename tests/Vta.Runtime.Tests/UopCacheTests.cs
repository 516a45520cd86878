using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Runtime.Tests;

/// <summary>Micro-op kernels are loaded once while resident, placed as a ring, and evicted on wrap-around.</summary>
public class UopCacheTests
{
    // 2^5 bytes of uop SRAM = 8 micro-ops, so wrap-around is easy to provoke.
    private static readonly VtaConfig s_smallUop = VtaConfig.Create(logUopBuffSize: 5);

    private static UopKernel AddImm(short imm, int uops) =>
        Enumerable.Range(0, uops).Aggregate(UopKernel.Alu(AluOpcode.Add, imm), (b, i) => b.Uop(i, 0)).Build();

    [Fact]
    public void ResidentKernelIsNotReloaded()
    {
        var device = new SimDevice(VtaConfig.Default);
        using var q = new CommandQueue(device);
        var k = AddImm(1, 3);

        q.Push(k);
        q.Push(k);
        q.Synchronize();

        Assert.Equal((1, 1), (q.UopCacheMisses, q.UopCacheHits));
        var c = device.ReadCounters();
        Assert.Equal(3 * 4, c.UopLoadNbytes);
        Assert.Equal(6, c.AluCounter);
    }

    [Fact]
    public void WrapAroundEvictsOverlappedKernels()
    {
        var device = new SimDevice(s_smallUop);
        using var q = new CommandQueue(device);
        UopKernel a = AddImm(1, 4), b = AddImm(2, 3), c = AddImm(3, 3);

        q.Push(a); // [0,4)
        q.Push(b); // [4,7)
        q.Push(c); // does not fit at 7: wraps to [0,3), evicting a
        q.Push(b); // still resident: hit
        q.Push(a); // reloaded at [3,7), evicting b
        q.Synchronize();

        Assert.Equal((4, 1, 2), (q.UopCacheMisses, q.UopCacheHits, q.UopCacheEvictions));
        Assert.Equal((4 + 3 + 3 + 4) * 4, device.ReadCounters().UopLoadNbytes);
    }

    [Fact]
    public void CacheResultsAreCorrectAfterEviction()
    {
        var device = new SimDevice(s_smallUop);
        using var q = new CommandQueue(device);
        var acc = device.Allocate(4096);
        var @out = device.Allocate(4096);
        var values = new int[4 * 16];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i - 20;
        }

        device.CopyIn(acc, 0, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        q.LoadBuffer2D(acc, 0, 4, 1, 4, 0, 0, 0, 0, 0, MemoryType.Acc);
        q.Push(AddImm(1, 4));
        q.Push(AddImm(2, 3)); // adds 2 to elements 0..2
        q.Push(AddImm(3, 3)); // wraps, evicts the first
        q.Push(AddImm(1, 4)); // reloaded
        q.DepPush(Stage.Compute, Stage.Store);
        q.DepPop(Stage.Compute, Stage.Store);
        q.StoreBuffer2D(0, MemoryType.Out, @out, 0, 4, 1, 4);
        q.Synchronize();

        var result = new byte[64];
        device.CopyOut(@out, 0, result);
        for (int i = 0; i < 64; i++)
        {
            int e = i / 16;
            int expected = values[i] + 1 + (e < 3 ? 2 : 0) + (e < 3 ? 3 : 0) + 1;
            Assert.Equal((sbyte)expected, (sbyte)result[i]);
        }
    }

    [Fact]
    public void KernelLargerThanTheUopBufferIsRefused()
    {
        var device = new SimDevice(s_smallUop);
        using var q = new CommandQueue(device);
        var e = Assert.Throws<VtaRuntimeException>(() => q.Push(AddImm(1, 9)));
        Assert.Contains("8-entry uop buffer", e.Message);
        Assert.Empty(q.Pending);
    }

    [Fact]
    public void UopWritingTheSameAccumulatorAsOneOfTheTwoBeforeIsRefused()
    {
        Assert.Throws<VtaRuntimeException>(() => UopKernel.Gemm().Uop(1, 0, 0).Uop(2, 0, 0).Uop(1, 0, 0));
        Assert.Throws<VtaRuntimeException>(() => UopKernel.Gemm().Uop(1, 0, 0).Uop(1, 1, 1));
        _ = UopKernel.Gemm().Uop(1, 0, 0).Uop(2, 0, 0).Uop(3, 0, 0).Uop(1, 0, 0).Build(); // three apart is fine
    }
}
