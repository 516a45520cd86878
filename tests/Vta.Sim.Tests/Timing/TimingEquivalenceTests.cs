using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim.Timing;

namespace Vta.Sim.Tests.Timing;

/// <summary>The timing simulator gives the behavioral simulator's results, counters and errors on the same programs.</summary>
public class TimingEquivalenceTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomProgramsWithATokenProtocolGiveTheSameResults(int seed)
    {
        var semantics = seed % 2 == 0 ? OutSemantics.Fsim : OutSemantics.Hardware;
        var report = TwinRun.AssertSame(VtaConfig.Default, d => RandomPrograms.Build(d, VtaConfig.Default, seed, protocol: true), semantics);
        Assert.NotNull(report);
        Assert.True(report.Cycles >= report.Units.Max(u => u.Busy));
    }

    /// <summary>Random flags: some runs deadlock or leave tokens, some race. Either way both simulators agree.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomFlagsGiveTheSameResultsOrTheSameError(int seed) =>
        TwinRun.AssertSame(VtaConfig.Default, d => RandomPrograms.Build(d, VtaConfig.Default, 1000 + seed, protocol: false));

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void OtherConfigurationsGiveTheSameResults(int seed)
    {
        var config = seed == 11 ? VtaConfig.Create(logBlock: 5, target: "ultra96") : VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18);
        TwinRun.AssertSame(config, d => RandomPrograms.Build(d, config, seed, protocol: true));
    }

    /// <summary>
    /// The racy program of PipelineTests.TokensOrderLoadsAgainstCompute (no tokens): the data work runs in the behavioral
    /// simulator's order, so even a race resolves the same way.
    /// </summary>
    [Fact]
    public void UnsynchronizedProgramResolvesItsRaceAsTheBehavioralSimulatorDoes()
    {
        TwinRun.AssertSame(VtaConfig.Default, dram =>
        {
            uint a = dram.Alloc(16), b = dram.Alloc(16);
            dram.Write(a, [1, .. new byte[15]]);
            dram.Write(b, [2, .. new byte[15]]);
            uint w = dram.Alloc(256);
            dram.Write(w, [.. Enumerable.Range(0, 256).Select(i => (byte)(i % 16 == 0 ? 1 : 0))]);
            uint u = TwinRun.PutUops(dram, VtaConfig.Default, [new Uop(0, 0, 0), new Uop(1, 0, 0)]);
            return new TwinProgram(
            [
                SimHarness.Load(MemoryType.Wgt, 0, w / 256, 1, 1),
                SimHarness.Load(MemoryType.Uop, 0, u / 4, 1, 2),
                SimHarness.Load(MemoryType.Inp, 0, a / 16, 1, 1),
                SimHarness.Gemm(0, 1),
                SimHarness.Load(MemoryType.Inp, 0, b / 16, 1, 1),
                SimHarness.Gemm(1, 2),
                SimHarness.Finish(),
            ], [], PortBases.Zero);
        });
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void BlockedGemmLikeTestLibGivesTheSameResults(int virtualThreads, bool hardware) =>
        TwinRun.AssertSame(VtaConfig.Default, d => ConformancePrograms.BlockedGemm(d, VtaConfig.Default, virtualThreads),
            hardware ? OutSemantics.Hardware : OutSemantics.Fsim);

    [Theory]
    [InlineData(AluOpcode.Add, true)]
    [InlineData(AluOpcode.Max, false)]
    [InlineData(AluOpcode.Shr, true)]
    public void AluTestLikeTestLibGivesTheSameResults(AluOpcode op, bool useImm) =>
        TwinRun.AssertSame(VtaConfig.Default, d => ConformancePrograms.AluTest(d, VtaConfig.Default, op, useImm));

    /// <summary>test_lib's point: with two virtual threads loads overlap GEMMs, so the same work takes fewer cycles.</summary>
    [Fact]
    public void TwoVirtualThreadsHideLoadLatency()
    {
        var one = TwinRun.AssertSame(VtaConfig.Default, d => ConformancePrograms.BlockedGemm(d, VtaConfig.Default, 1))!;
        var two = TwinRun.AssertSame(VtaConfig.Default, d => ConformancePrograms.BlockedGemm(d, VtaConfig.Default, 2))!;
        Assert.Equal(one.GemmUsefulCycles, two.GemmUsefulCycles);
        Assert.True(two.Cycles < one.Cycles, $"vt=2 {two.Cycles} cycles, vt=1 {one.Cycles}");
        Assert.True(two.GemmUtilization > one.GemmUtilization);
        Assert.True(two.Unit(TimingUnit.Compute).StalledOnToken < one.Unit(TimingUnit.Compute).StalledOnToken);
    }

    [Fact]
    public void SkipExecutionTimesTheSameAndCountsTheSame()
    {
        var full = new TimingSimulator(VtaConfig.Default, new Dram());
        var skip = new TimingSimulator(VtaConfig.Default, new Dram()) { SkipExecution = true };
        var pa = RandomPrograms.Build(full.Dram, VtaConfig.Default, 5, protocol: true);
        var pb = RandomPrograms.Build(skip.Dram, VtaConfig.Default, 5, protocol: true);
        full.Bases = pa.Bases;
        skip.Bases = pb.Bases;
        var a = full.Run(pa.Program);
        var b = skip.Run(pb.Program);
        Assert.Equal(a.ToList(), b.ToList());
        Assert.Equal(full.Counters.ToList(), skip.Counters.ToList());
    }

    /// <summary>The scheduler alone (no data work, no DRAM) gives the simulator's report: the path a tuner takes.</summary>
    [Fact]
    public void SchedulerAloneGivesTheSameReport()
    {
        var sim = new TimingSimulator(VtaConfig.Default, new Dram());
        var p = ConformancePrograms.BlockedGemm(sim.Dram, VtaConfig.Default, 2);
        sim.Bases = p.Bases;
        var withData = sim.Run(p.Program);
        var cost = new CostModel(VtaConfig.Default, TimingParameters.For(VtaConfig.Default), p.Bases);
        var alone = new TimingScheduler(cost).Run(p.Program, null, 0, out var trace);
        Assert.Equal(withData.ToList(), alone.ToList());
        Assert.Equal(sim.LastTrace!.EndCycle(p.Program.Count - 1), trace.EndCycle(p.Program.Count - 1));
    }
}
