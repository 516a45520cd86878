using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim.Timing;
using static Vta.Sim.Tests.Timing.Hand;

namespace Vta.Sim.Tests.Timing;

/// <summary>Modules running concurrently, gated by tokens and queues: whole-program cycle counts derived by hand.</summary>
public class TimingScheduleTests
{
    private const int Load64 = Overhead + Burst + 128;   // LOAD INP of 64 elements from an aligned address
    private const int Gemm60 = Overhead + 60 + GemmPipe; // GEMM of 3 × 5 × 4 uops

    private static GemmInsn Gemm60Insn(DepFlags deps = DepFlags.None) => SimHarness.Gemm(0, 4, 3, 5, deps: deps);

    /// <summary>
    /// [LOAD INP 64, GEMM 60, FINISH]. Independent: the GEMM overlaps the load and the run ends with the load.
    /// Dependent (load pushes l2g, GEMM pops it): the GEMM starts one token latency after the load ends.
    /// </summary>
    [Fact]
    public void DependentPairSerializesIndependentPairOverlaps()
    {
        int d0 = Dispatched(3, 0), d1 = Dispatched(3, 1);
        var (sim, dram) = NewSim();
        uint addr = dram.Alloc(4096);

        var independent = sim.Run([LoadInp(Elem(addr, 0, 16), 64), Gemm60Insn(), SimHarness.Finish()]);
        Assert.Equal(d0 + Load64, independent.Cycles);
        Assert.Equal(0, independent.Unit(TimingUnit.Compute).StalledOnToken);

        var dependent = sim.Run([LoadInp(Elem(addr, 0, 16), 64, deps: DepFlags.PushNext), Gemm60Insn(DepFlags.PopPrev), SimHarness.Finish()]);
        int gemmStart = d0 + Load64 + Token;
        Assert.Equal(gemmStart + Gemm60 + Overhead, dependent.Cycles);
        var compute = dependent.Unit(TimingUnit.Compute);
        Assert.Equal(gemmStart - d1, compute.StalledOnToken);
        Assert.Equal(d1, compute.Idle);
        Assert.Equal(Gemm60 + Overhead, compute.Busy);
        Assert.Equal((long)gemmStart, sim.LastTrace!.StartCycle(1));
    }

    /// <summary>load → compute (l2g) → store (g2s) → compute (s2g): every hop adds the token latency.</summary>
    [Fact]
    public void FullTokenRoundTrip()
    {
        var (sim, dram) = NewSim();
        uint inp = dram.Alloc(4096), @out = dram.Alloc(4096);
        var report = sim.Run([
            LoadInp(Elem(inp, 0, 16), 64, deps: DepFlags.PushNext),
            Gemm60Insn(DepFlags.PopPrev | DepFlags.PushNext),
            SimHarness.Store(0, Elem(@out, 0, 16), 1, 16, deps: DepFlags.PopPrev | DepFlags.PushPrev),
            SimHarness.Finish(DepFlags.PopNext),
        ]);

        const int Store16 = Overhead + 16 + Setup + 32 + Latency;
        long loadEnd = Dispatched(4, 0) + Load64;
        long gemmEnd = loadEnd + Token + Gemm60;
        long storeEnd = gemmEnd + Token + Store16;
        long finishEnd = storeEnd + Token + Overhead;
        Assert.Equal(finishEnd, report.Cycles);
        var t = sim.LastTrace!;
        Assert.Equal((Dispatched(4, 0), loadEnd), (t.StartCycle(0), t.EndCycle(0)));
        Assert.Equal((loadEnd + Token, gemmEnd), (t.StartCycle(1), t.EndCycle(1)));
        Assert.Equal((gemmEnd + Token, storeEnd), (t.StartCycle(2), t.EndCycle(2)));
        Assert.Equal((storeEnd + Token, finishEnd), (t.StartCycle(3), t.EndCycle(3)));
        Assert.Equal(Dispatched(4, 2), t.DispatchCycle(2));

        var segment = t.Segment(0, 2);
        Assert.Equal((Dispatched(4, 0), gemmEnd, Load64, Gemm60, 60), (segment.StartCycle, segment.EndCycle, segment.LoadBusy, segment.ComputeBusy, segment.GemmUsefulCycles));
        AssertAccountsAddUp(report);
    }

    /// <summary>
    /// Dependency queue depth 1: the second push into l2g waits for the compute NOP's pop, which comes after a GEMM.
    /// [load NOP push, load NOP push, GEMM 60, compute NOP pop, FINISH pop].
    /// </summary>
    [Fact]
    public void PushIntoAFullDependencyQueueStallsUntilThePop()
    {
        var (sim, _) = NewSim(TimingParameters.For(VtaConfig.Default) with { DependencyQueueDepth = 1 });
        var report = sim.Run([
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext),
            Gemm60Insn(),
            SimHarness.Nop(MemoryType.Uop, DepFlags.PopPrev),
            SimHarness.Finish(DepFlags.PopPrev),
        ]);

        long gemmEnd = Dispatched(5, 2) + Gemm60;     // the GEMM starts when dispatched
        long secondNopEnd = Dispatched(5, 0) + (2 * Overhead);
        Assert.Equal(gemmEnd + Overhead + Overhead, report.Cycles); // NOP pops at gemmEnd; FINISH's token is there by then
        var load = report.Unit(TimingUnit.Load);
        Assert.Equal(gemmEnd - secondNopEnd, load.StalledOnQueueFull);
        Assert.Equal(2 * Overhead, load.Busy);
        AssertAccountsAddUp(report);
    }

    /// <summary>130 instructions: fetch reads 128 (one 2 KiB burst), dispatches them, then reads the last 2.</summary>
    [Fact]
    public void FetchReadsBatchesOf128()
    {
        var (sim, _) = NewSim();
        var program = Enumerable.Repeat<Instruction>(SimHarness.Nop(MemoryType.Uop, DepFlags.None), 129).Append(SimHarness.Finish()).ToList();
        var report = sim.Run(program);

        long firstDispatch = Burst + 256 + Dispatch;
        long secondBatch = firstDispatch + 127 + Burst + 4;          // read after the 128th dispatch
        Assert.Equal(secondBatch + Dispatch, sim.LastTrace!.DispatchCycle(128));
        long computeEnd = firstDispatch + (130 * Overhead);          // compute (2 cycles each) never waits after the first
        Assert.Equal(computeEnd, report.Cycles);
        var fetch = report.Unit(TimingUnit.Fetch);
        Assert.Equal(Burst + 256 + 128 + Burst + 4 + 2, fetch.Busy);
        Assert.Equal(computeEnd - fetch.Busy, fetch.Idle);
        Assert.Equal(firstDispatch, report.Unit(TimingUnit.Compute).Idle);
    }

    /// <summary>
    /// Instruction queues of 2: fetch cannot dispatch the fourth GEMM until compute takes the second, so the load NOP behind
    /// it and FINISH wait too. [GEMM × 4, load NOP, FINISH].
    /// </summary>
    [Fact]
    public void FullInstructionQueueBlocksFetch()
    {
        var (sim, _) = NewSim(TimingParameters.For(VtaConfig.Default) with { InstructionQueueDepth = 2 });
        var report = sim.Run([Gemm60Insn(), Gemm60Insn(), Gemm60Insn(), Gemm60Insn(), SimHarness.Nop(MemoryType.Inp, DepFlags.None), SimHarness.Finish()]);

        long g0 = Dispatched(6, 0);                                   // GEMM 0 taken when dispatched
        long take1 = g0 + Gemm60, take2 = take1 + Gemm60;
        var t = sim.LastTrace!;
        Assert.Equal(take1 + Dispatch, t.DispatchCycle(3));           // waited for compute to take GEMM 1
        Assert.Equal(take1 + (2 * Dispatch), t.DispatchCycle(4));
        Assert.Equal(take2 + Dispatch, t.DispatchCycle(5));           // FINISH waited for GEMM 2 to be taken
        Assert.Equal(g0 + (4 * Gemm60) + Overhead, report.Cycles);
        Assert.Equal(take1 - Dispatched(6, 2) + take2 - (take1 + (2 * Dispatch)), report.Unit(TimingUnit.Fetch).StalledOnQueueFull);
        AssertAccountsAddUp(report);
    }

    [Fact]
    public void TokenDeadlockIsReportedAsTheBehavioralSimulatorReportsIt()
    {
        Instruction[] program =
        [
            SimHarness.Load(MemoryType.Uop, 0, 0, 0, 0),
            SimHarness.Nop(MemoryType.Inp, DepFlags.PopNext | DepFlags.PushNext),
            SimHarness.Finish(DepFlags.PopPrev),
        ];
        var behavioral = Assert.Throws<VtaSimException>(() => new SimHarness().Sim.Run(program));
        var timing = Assert.Throws<VtaSimException>(() => NewSim().Sim.Run(program));
        Assert.Equal(behavioral.Message, timing.Message);
        Assert.Equal(behavioral.BlockedModules, timing.BlockedModules);
        Assert.Equal(1, timing.InstructionIndex);
    }

    /// <summary>A hang the behavioral simulator cannot see: compute's queue is full of GEMMs waiting behind a token
    /// whose load sits behind them in the stream, so fetch can never deliver it.</summary>
    [Fact]
    public void FullInstructionQueueDeadlockNamesFetch()
    {
        Instruction[] program =
        [
            Gemm60Insn(DepFlags.PopPrev), Gemm60Insn(), Gemm60Insn(), Gemm60Insn(),
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext), SimHarness.Finish(),
        ];
        new SimHarness().Sim.Run(program); // fine without instruction queues
        var (sim, _) = NewSim(TimingParameters.For(VtaConfig.Default) with { InstructionQueueDepth = 2 });
        var e = Assert.Throws<VtaSimException>(() => sim.Run(program));
        Assert.Contains("deadlock", e.Message);
        Assert.Equal(0, e.InstructionIndex);
        Assert.Equal(3, e.BlockedModules.Count);
        Assert.StartsWith("load module: instruction 4", e.BlockedModules[0]);
        Assert.Contains("l2g", e.BlockedModules[1]);
        Assert.StartsWith("fetch: instruction 3", e.BlockedModules[2]);
        Assert.Contains("compute instruction queue (queue full: 2 instructions)", e.BlockedModules[2]);
    }

    [Fact]
    public void LeftoverTokensAreReportedAsTheBehavioralSimulatorReportsThem()
    {
        Instruction[] program =
        [
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext), SimHarness.Nop(MemoryType.Uop, DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Uop, DepFlags.PushNext), SimHarness.Finish(),
        ];
        var behavioral = Assert.Throws<VtaSimException>(() => new SimHarness().Sim.Run(program));
        var timing = Assert.Throws<VtaSimException>(() => NewSim().Sim.Run(program));
        Assert.Equal(behavioral.Message, timing.Message);
        Assert.Contains("g2s holds 2", timing.Message);
    }

    [Fact]
    public void InvalidStreamsAreRejectedBeforeAnythingRuns()
    {
        var (sim, _) = NewSim();
        Assert.Equal(0, Assert.Throws<VtaSimException>(() => sim.Run([SimHarness.Nop(MemoryType.Inp, DepFlags.PopPrev), SimHarness.Finish()])).InstructionIndex);
        Assert.Contains("not FINISH", Assert.Throws<VtaSimException>(() => sim.Run([SimHarness.Gemm(0, 0)])).Message);
        Assert.Throws<VtaSimException>(() => sim.Run(Array.Empty<Instruction>()));
        Assert.Null(sim.LastReport);
    }

    [Fact]
    public void ReportSchemaIsFixedAndReportsAdd()
    {
        var (sim, dram) = NewSim();
        uint addr = dram.Alloc(4096);
        var a = sim.Run([LoadInp(Elem(addr, 0, 16), 64), SimHarness.Finish()]);
        var b = sim.Run([Gemm60Insn(), SimHarness.Finish()]);
        var names = a.ToList().Select(kv => kv.Key).ToList();
        Assert.Equal(7 + (4 * 4) + (11 * 2), names.Count);
        Assert.Equal(["cycles", "seconds", "clock_mhz", "runs", "instructions", "gemm_useful_cycles", "gemm_utilization", "fetch_busy"], names.Take(8));
        Assert.Contains("compute_stalled_on_token", names);
        Assert.Contains("load_inp_cycles", names);
        Assert.Contains("alu_imm_count", names);
        Assert.Equal("alu_imm_cycles", names[^5]);

        var sum = TimingReport.Empty(100).Add(a).Add(b);
        Assert.Equal((a.Cycles + b.Cycles, 2, 4L, 60L), (sum.Cycles, sum.Runs, sum.Instructions, sum.GemmUsefulCycles));
        Assert.Equal(a.Unit(TimingUnit.Load).Busy + b.Unit(TimingUnit.Load).Busy, sum.Unit(TimingUnit.Load).Busy);
        Assert.Equal(1, sum.Kind(InsnKind.Gemm).Count);
        AssertAccountsAddUp(sum);
    }

    /// <summary>Busy + stalled + idle is the run's length for every unit.</summary>
    internal static void AssertAccountsAddUp(TimingReport report)
    {
        foreach (var u in report.Units)
        {
            Assert.True(u.Total == report.Cycles, $"{u.Name}: {u.Busy} + {u.StalledOnToken} + {u.StalledOnQueueFull} + {u.Idle} != {report.Cycles}");
            Assert.True(u.Busy >= 0 && u.StalledOnToken >= 0 && u.StalledOnQueueFull >= 0 && u.Idle >= 0);
        }

        Assert.Equal(report.Instructions, report.Kinds.Sum(k => k.Count));
        Assert.Equal(report.Units.Skip(1).Sum(u => u.Busy), report.Kinds.Sum(k => k.Cycles));
    }
}
