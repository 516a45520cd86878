using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim.Timing;
using static Vta.Sim.Tests.Timing.Hand;

namespace Vta.Sim.Tests.Timing;

/// <summary>One instruction at a time: cycle counts derived by hand from the documented parameters (see <see cref="Hand"/>).</summary>
public class TimingCostTests
{
    [Fact]
    public void DefaultsAreTheDocumentedOnesAndFollowTheTarget()
    {
        AssertDefaults(TimingParameters.For(VtaConfig.Default));
        var ultra96 = TimingParameters.For(VtaConfig.Create(target: "ultra96"));
        Assert.Equal((333.0, 16), (ultra96.ClockMHz, ultra96.BusBytes));
        Assert.Throws<ArgumentException>(() => (new TimingParameters { BusBytes = 12 }).Validate());
        Assert.Throws<ArgumentException>(() => (new TimingParameters { TokenLatency = -1 }).Validate());
    }

    /// <summary>
    /// [LOAD INP of n elements, FINISH]: the load is dispatched after fetch's burst and one dispatch cycle, then pays
    /// overhead + per burst (latency + setup) + one cycle per 8-byte beat. 16-byte INP elements are 2 beats each.
    /// </summary>
    [Theory]
    [InlineData(1, Overhead + Burst + 2)]                 // 16 B: one burst of 2 beats
    [InlineData(64, Overhead + Burst + 128)]              // 1 KiB: 128 beats
    [InlineData(128, Overhead + Burst + 256)]             // exactly 2 KiB: still one burst of 256 beats
    [InlineData(129, Overhead + (2 * Burst) + 258)]       // 2 KiB + 16 B: crosses the boundary, a second burst
    public void LoadOfNElementsFromAnAlignedAddress(int n, int expected)
    {
        var (sim, dram) = NewSim();
        uint addr = dram.Alloc(4096);
        var report = sim.Run([LoadInp(Elem(addr, 0, 16), n), SimHarness.Finish()]);

        int start = Dispatched(2, 0);
        Assert.Equal(start + expected, report.Cycles);
        Assert.Equal(expected, report.Unit(TimingUnit.Load).Busy);
        Assert.Equal(start, report.Unit(TimingUnit.Load).Idle);
        Assert.Equal(new KindTiming(InsnKind.LoadInp, 1, expected), report.Kind(InsnKind.LoadInp));
        Assert.Equal((start + expected) / 100e6, report.Seconds, 12);
    }

    [Fact]
    public void LoadCrossingA2KiBBoundaryPaysASecondBurst()
    {
        var (sim, dram) = NewSim();
        uint addr = dram.Alloc(4096);
        // 64 elements = 1 KiB starting 512 bytes before a 2 KiB boundary: two bursts of 64 beats.
        long crossing = sim.Run([LoadInp(Elem(addr, 1536, 16), 64), SimHarness.Finish()]).Unit(TimingUnit.Load).Busy;
        long inside = sim.Run([LoadInp(Elem(addr, 1024, 16), 64), SimHarness.Finish()]).Unit(TimingUnit.Load).Busy;
        Assert.Equal(Overhead + (2 * Burst) + 128, crossing);
        Assert.Equal(Overhead + Burst + 128, inside);
        var memory = new CostModel(VtaConfig.Default, TimingParameters.For(VtaConfig.Default)).Memory;
        Assert.Equal((2, 1, 1, 3), (memory.Bursts(addr + 1536, 1024), memory.Bursts(addr + 1024, 1024), memory.Bursts(addr, 2048), memory.Bursts(addr + 8, 4096)));
    }

    [Fact]
    public void StridedRowsArePricedRowByRow()
    {
        var (sim, dram) = NewSim();
        uint addr = dram.Alloc(3 * 4096);
        // 3 rows of 64 INP elements, stride 256 elements (4 KiB): each row starts 1536 B past a boundary, so crosses it.
        var load = SimHarness.Load(MemoryType.Inp, 0, Elem(addr, 1536, 16), 3, 64, stride: 256);
        Assert.Equal(Overhead + (3 * ((2 * Burst) + 128)), sim.Run([load, SimHarness.Finish()]).Unit(TimingUnit.Load).Busy);
    }

    [Fact]
    public void PaddingWritesOneElementPerCycle()
    {
        var (sim, dram) = NewSim();
        uint addr = dram.Alloc(4096);
        // 2 rows × 4 INP elements (64 B = 8 beats per row) in a 4 × 6 window: 16 zero elements.
        var load = SimHarness.Load(MemoryType.Inp, 0, Elem(addr, 0, 16), 2, 4, yPad0: 1, yPad1: 1, xPad0: 1, xPad1: 1);
        Assert.Equal(Overhead + (2 * (Burst + 8)) + 16, sim.Run([load, SimHarness.Finish()]).Unit(TimingUnit.Load).Busy);

        // The HLS design ignores WGT pads: with hardware semantics the 8 pad elements of a 3 × 3 window cost nothing.
        var wgt = SimHarness.Load(MemoryType.Wgt, 0, Elem(addr, 0, 256), 1, 1, yPad0: 1, yPad1: 1, xPad0: 1, xPad1: 1);
        Assert.Equal(Overhead + Burst + 32 + 8, sim.Run([wgt, SimHarness.Finish()]).Unit(TimingUnit.Load).Busy);
        sim.Semantics = OutSemantics.Hardware;
        Assert.Equal(Overhead + Burst + 32, sim.Run([wgt, SimHarness.Finish()]).Unit(TimingUnit.Load).Busy);
    }

    [Fact]
    public void ShorterBurstLimitSplitsTheTransfer()
    {
        var (sim, dram) = NewSim(TimingParameters.For(VtaConfig.Default) with { MaxBurstBeats = 16 });
        uint addr = dram.Alloc(4096);
        // 128 beats in bursts of 16 beats: 8 bursts.
        Assert.Equal(Overhead + (8 * Burst) + 128, sim.Run([LoadInp(Elem(addr, 0, 16), 64), SimHarness.Finish()]).Unit(TimingUnit.Load).Busy);
    }

    [Fact]
    public void UopLoadRunsOnComputeAndPaysForWholeBeats()
    {
        var (sim, dram) = NewSim();
        uint addr = dram.Alloc(4096);
        // 3 uops (12 B) from byte 4: they touch bus words 0 and 1, 2 beats.
        var load = SimHarness.Load(MemoryType.Uop, 0, Elem(addr, 4, 4), 1, 3);
        var report = sim.Run([load, SimHarness.Finish()]);
        Assert.Equal(Overhead + Burst + 2 + Overhead, report.Unit(TimingUnit.Compute).Busy);
        Assert.Equal(Overhead + Burst + 2, report.Kind(InsnKind.LoadUop).Cycles);
    }

    [Fact]
    public void StoreWaitsForEachBurstsWriteResponse()
    {
        var (sim, dram) = NewSim();
        uint addr = dram.Alloc(4096);
        // 16 OUT elements = 256 B = 32 beats, plus one SRAM read per element.
        long aligned = sim.Run([SimHarness.Store(0, Elem(addr, 0, 16), 1, 16), SimHarness.Finish()]).Unit(TimingUnit.Store).Busy;
        Assert.Equal(Overhead + 16 + (Setup + 32 + Latency), aligned);
        long crossing = sim.Run([SimHarness.Store(0, Elem(addr, 2048 - 128, 16), 1, 16), SimHarness.Finish()]).Unit(TimingUnit.Store).Busy;
        Assert.Equal(Overhead + 16 + (2 * (Setup + Latency)) + 32, crossing);
    }

    /// <summary>[GEMM, FINISH]: overhead + one cycle per uop + fill/drain; FINISH costs the overhead after it.</summary>
    [Theory]
    [InlineData(3, 5, 4)]
    [InlineData(1, 1, 1)]
    [InlineData(16, 14, 9)]
    public void GemmOfNUops(int iterOut, int iterIn, int uops)
    {
        var (sim, _) = NewSim();
        int n = iterOut * iterIn * uops;
        var report = sim.Run([SimHarness.Gemm(0, uops, iterOut, iterIn), SimHarness.Finish()]);

        int gemm = Overhead + n + GemmPipe;
        Assert.Equal(Dispatched(2, 0) + gemm + Overhead, report.Cycles);
        Assert.Equal(gemm, report.Kind(InsnKind.Gemm).Cycles);
        Assert.Equal(n, report.GemmUsefulCycles);
        Assert.Equal((double)n / report.Cycles, report.GemmUtilization, 12);
    }

    [Fact]
    public void ResetAndEmptyGemmsDoNoUsefulWork()
    {
        var (sim, _) = NewSim();
        var report = sim.Run([SimHarness.Gemm(0, 4, 2, 3, reset: true), SimHarness.Gemm(0, 0), SimHarness.Finish()]);
        Assert.Equal(Overhead + 24 + GemmPipe, report.Kind(InsnKind.GemmReset).Cycles);
        Assert.Equal(Overhead, report.Kind(InsnKind.Gemm).Cycles);
        Assert.Equal(0, report.GemmUsefulCycles);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void AluTakesOneCycleWithAnImmediateAndTwoWithout(bool useImm, int perUop)
    {
        var (sim, _) = NewSim();
        var alu = SimHarness.Alu(AluOpcode.Add, 0, 4, useImm, 3, iterOut: 3, iterIn: 5);
        var report = sim.Run([alu, SimHarness.Finish()]);
        int expected = Overhead + (60 * perUop) + AluPipe;
        Assert.Equal(expected, report.Kind(useImm ? InsnKind.AluImm : InsnKind.Alu).Cycles);
        Assert.Equal(Dispatched(2, 0) + expected + Overhead, report.Cycles);
    }

    [Fact]
    public void WiderBusMovesMoreBytesPerBeat()
    {
        var config = VtaConfig.Create(target: "ultra96");
        var dram = new Dram();
        var sim = new TimingSimulator(config, dram);
        uint addr = dram.Alloc(4096);
        // 1 KiB over a 16-byte bus is 64 beats; fetch of 2 instructions is 2 beats.
        var report = sim.Run([LoadInp(Elem(addr, 0, 16), 64), SimHarness.Finish()]);
        Assert.Equal(Burst + 2 + Dispatch + Overhead + Burst + 64, report.Cycles);
        Assert.Equal(report.Cycles / 333e6, report.Seconds, 12);
    }
}
