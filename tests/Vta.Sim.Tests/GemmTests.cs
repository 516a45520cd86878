using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

public class GemmTests
{
    /// <summary>BLOCK 2 with buffers small enough for 32-bit uops: small enough to compute by hand.</summary>
    internal static VtaConfig Block2 { get; } =
        VtaConfig.Create(logBlock: 1, logUopBuffSize: 10, logInpBuffSize: 11, logWgtBuffSize: 13, logAccBuffSize: 13);

    [Fact]
    public void HandComputedBlock2Gemm()
    {
        var h = new SimHarness(Block2);
        sbyte[] inp = [3, -2];
        sbyte[] wgt = [1, 2, -4, 5]; // WGT[o][c]: row o = 0 is (1, 2), row 1 is (−4, 5)
        int[] acc = [10, 20];
        uint inpAddr = h.Put(inp);
        uint wgtAddr = h.Put(wgt);
        uint accAddr = h.Put(acc);
        uint uopAddr = h.PutUops(new Uop(0, 0, 0));
        h.Sim.Run([
            SimHarness.Load(MemoryType.Inp, 0, h.Elem(inpAddr, MemoryType.Inp), 1, 1),
            SimHarness.Load(MemoryType.Wgt, 0, h.Elem(wgtAddr, MemoryType.Wgt), 1, 1, deps: DepFlags.PushNext),
            SimHarness.Load(MemoryType.Acc, 0, h.Elem(accAddr, MemoryType.Acc), 1, 1),
            SimHarness.Load(MemoryType.Uop, 0, h.Elem(uopAddr, MemoryType.Uop), 1, 1),
            SimHarness.Gemm(0, 1, deps: DepFlags.PopPrev),
            SimHarness.Finish(),
        ]);
        // o0: 10 + 3·1 + (−2)·2 = 9; o1: 20 + 3·(−4) + (−2)·5 = −2
        Assert.Equal(new[] { 9, -2 }, h.Sim.Sram.Acc[..2].ToArray());
        Assert.Equal(1, h.Sim.Counters.GemmCounter);
    }

    [Fact]
    public void DefaultConfigGemmThroughLoads()
    {
        var h = new SimHarness();
        var inp = new sbyte[16];
        inp[0] = 2;
        inp[1] = -3;
        var wgt = new sbyte[256];
        for (int o = 0; o < 16; o++)
        {
            wgt[o * 16] = (sbyte)o;
            wgt[(o * 16) + 1] = 1;
        }

        var acc = Enumerable.Range(0, 16).Select(o => 100 + o).ToArray();
        uint inpAddr = h.Put(inp);
        uint wgtAddr = h.Put(wgt);
        uint accAddr = h.Put(acc);
        uint uopAddr = h.PutUops(new Uop(5, 7, 9));
        h.Sim.Run([
            SimHarness.Load(MemoryType.Inp, 7, h.Elem(inpAddr, MemoryType.Inp), 1, 1),
            SimHarness.Load(MemoryType.Wgt, 9, h.Elem(wgtAddr, MemoryType.Wgt), 1, 1, deps: DepFlags.PushNext),
            SimHarness.Load(MemoryType.Acc, 5, h.Elem(accAddr, MemoryType.Acc), 1, 1),
            SimHarness.Load(MemoryType.Uop, 0, h.Elem(uopAddr, MemoryType.Uop), 1, 1),
            SimHarness.Gemm(0, 1, deps: DepFlags.PopPrev),
            SimHarness.Finish(),
        ]);
        // dot[o] = 2·o + (−3)·1, so ACC[5][o] = 100 + o + 2o − 3 = 97 + 3o.
        Assert.Equal(Enumerable.Range(0, 16).Select(o => 97 + (3 * o)).ToArray(), h.Sim.Sram.Acc.Slice(5 * 16, 16).ToArray());
    }

    [Fact]
    public void TwoLoopLevelsUseTheFactors()
    {
        var h = new SimHarness();
        var sram = h.Sim.Sram;
        for (int s = 0; s < 16; s++)
        {
            sram.Inp[s * 16] = (sbyte)(s + 1); // INP[s] = (s+1, 0, 0, ...)
        }

        var wgt = sram.Wgt;
        for (int w = 0; w < 4; w++)
        {
            for (int o = 0; o < 16; o++)
            {
                wgt[(w * 256) + (o * 16)] = (sbyte)(w + 1); // WGT[w][o] = (w+1, 0, ...): dot = (s+1)(w+1)
            }
        }

        sram.Uops[0] = new Uop(0, 0, 0);
        sram.Uops[1] = new Uop(1, 1, 0);
        h.RunCompute(SimHarness.Gemm(0, 2, iterOut: 2, iterIn: 3, dstOut: 2, dstIn: 0, srcOut: 2, srcIn: 4, wgtOut: 1, wgtIn: 0));
        // i=0: dst0 += 1+5+9 = 15, dst1 += 2+6+10 = 18; i=1 (wgt 1 → ×2): dst2 += 2·(3+7+11) = 42, dst3 += 2·(4+8+12) = 48.
        int[] expected = [15, 18, 42, 48];
        for (int a = 0; a < 4; a++)
        {
            Assert.All(sram.Acc.Slice(a * 16, 16).ToArray(), v => Assert.Equal(expected[a], v));
        }

        Assert.Equal(2 * 3 * 2, h.Sim.Counters.GemmCounter);
    }

    [Fact]
    public void LaterUopsSeeEarlierResults()
    {
        var h = new SimHarness();
        var sram = h.Sim.Sram;
        sram.Inp[0] = 1;
        sram.Wgt[0] = 1; // WGT[0][0][0] = 1: dot[0] = 1
        sram.Uops[0] = new Uop(0, 0, 0);
        sram.Uops[1] = new Uop(0, 0, 0);
        sram.Acc[0] = int.MaxValue;
        h.RunCompute(SimHarness.Gemm(0, 2, iterOut: 3));
        Assert.Equal(unchecked(int.MaxValue + 6), sram.Acc[0]); // six accumulations, wrapping
    }

    [Fact]
    public void ResetZeroesOnlyTheAddressedTilesAndIsNotCounted()
    {
        var h = new SimHarness();
        var sram = h.Sim.Sram;
        sram.Acc[..(4 * 16)].Fill(7);
        sram.Uops[0] = new Uop(1, 0, 0);
        h.RunCompute(SimHarness.Gemm(0, 1, iterIn: 2, dstIn: 1, reset: true));
        Assert.All(sram.Acc[..16].ToArray(), v => Assert.Equal(7, v));
        Assert.All(sram.Acc[16..48].ToArray(), v => Assert.Equal(0, v));
        Assert.All(sram.Acc[48..64].ToArray(), v => Assert.Equal(7, v));
        Assert.Equal(0, h.Sim.Counters.GemmCounter);
    }
}
