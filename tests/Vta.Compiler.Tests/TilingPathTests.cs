using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Running;
using Vta.Compiler.Tests.Infrastructure;
using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;

namespace Vta.Compiler.Tests;

/// <summary>
/// Tilings the default policy would not pick — inputs-outer order, ragged edges, batch and group tiles, one or two ACC
/// buffers — must all give the reference result and the counters the formulas predict for them.
/// </summary>
public class TilingPathTests
{
    private const string Small = "conv2d:n=2,h=10,w=12,ci=64,co=64,k=3,pad=1";

    public static TheoryData<string, string, int, int, int, int, int, int, LoopOrder, int> Tilings => new()
    {
        { Small, "default", 1, 1, 2, 2, 4, 5, LoopOrder.InputsOuter, 2 },   // ragged rows and columns, 2 output tiles × 2 chunks
        { Small, "default", 1, 1, 2, 4, 3, 12, LoopOrder.InputsOuter, 1 },  // input chunk resident across output tiles
        { Small, "default", 2, 1, 4, 4, 10, 12, LoopOrder.WeightsOuter, 1 }, // one tile: the whole batch and image
        { Small, "default", 1, 1, 1, 1, 3, 12, LoopOrder.WeightsOuter, 2 },  // full-width rows, 4 × 4 chunks
        { Small, "2x16", 1, 1, 4, 2, 5, 7, LoopOrder.WeightsOuter, 2 },
        { "conv2d:n=1,h=8,w=9,ci=64,co=64,k=3,pad=1,groups=2", "1x8", 1, 2, 2, 2, 8, 9, LoopOrder.InputsOuter, 1 }, // group tiles split output blocks
        { "conv2d:n=1,h=8,w=9,ci=64,co=64,k=3,pad=1,groups=2", "1x8", 1, 2, 4, 4, 3, 9, LoopOrder.WeightsOuter, 2 },
        { "conv2d:n=1,h=15,w=15,ci=32,co=32,k=1,stride=2", "default", 1, 1, 1, 1, 3, 8, LoopOrder.InputsOuter, 2 }, // decimated rows
        { "conv2d_transpose:n=1,h=6,w=5,ci=32,co=32,k=4,pad=1,stride=2", "default", 1, 1, 1, 1, 4, 2, LoopOrder.InputsOuter, 2 },
        { "dense:n=24,ci=64,co=48", "default", 8, 1, 1, 2, 1, 1, LoopOrder.InputsOuter, 2 },
        { "dense:n=24,ci=64,co=48", "2x16", 4, 1, 3, 4, 1, 1, LoopOrder.WeightsOuter, 1 },
    };

    [Theory]
    [MemberData(nameof(Tilings))]
    public void AnyFittingTilingMatchesTheReference(string spec, string config, int tn, int tg, int to, int ct, int rows, int cols, LoopOrder order, int acc)
    {
        var w = WorkloadSpecParser.Parse(spec);
        var c = TestConfigs.Get(config);
        var tiling = new ConvTiling(tn, tg, to, ct, rows, cols, order, acc);
        var r = OpRunner.Run(w, c, seed: 5, policy: new FixedTilingPolicy(tiling));

        Assert.True(r.Passed, $"{r.Mismatches} mismatches with {tiling}");
        Assert.Equal(tiling, r.Tiling);
        ExpectedCounters.AssertMatch(ExpectedCounters.For(w, c, tiling), r.Counters);
    }

    [Fact]
    public void ThePolicysChoiceFitsEveryBufferAtEveryConfiguration()
    {
        foreach (string name in TestConfigs.Names)
        {
            var c = TestConfigs.Get(name);
            foreach (var w in WorkloadCatalog.All.Where(w => !(name == "1x32" && w.Name.StartsWith("mobilenet", StringComparison.Ordinal))))
            {
                var plan = ((ConvOp)OpCompiler.Compile(w, c)).Plan;
                var s = plan.Schedule;
                Assert.True(s.Fits, $"{w.Name} at {name}: {string.Join("; ", s.Shortfalls())}");
                Assert.True(s.InpChunk <= c.InpBuffDepth && s.WgtChunk <= c.WgtBuffDepth && s.AccNeeded <= c.AccBuffDepth);
            }
        }
    }

    [Fact]
    public void LoadsAlternateBetweenPingPongHalvesAndWaitForComputeTwoStepsBack()
    {
        // C8 at the default configuration streams 4 input chunks per tile: both INP halves must be used, and loads must
        // wait on compute (pop g2l) only from the third step on.
        var c = VtaConfig.Default;
        var listings = new List<StreamListing>();
        var r = OpRunner.Run(WorkloadCatalog.Resolve("resnet18.C8"), c, seed: 1, options: new CommandQueueOptions { Dump = listings.Add });
        Assert.True(r.Passed);

        var loads = listings.SelectMany(l => l.Instructions).OfType<MemInsn>().Where(m => m.IsLoad && m.MemoryType == MemoryType.Inp).ToList();
        var halves = loads.Select(m => m.SramBase / (c.InpBuffDepth / 2)).Distinct().Order().ToList();
        Assert.Equal([0, 1], halves);
        var gemms = listings.SelectMany(l => l.Instructions).OfType<GemmInsn>().Where(g => !g.ResetReg).ToList();
        Assert.Equal(r.Counters.GemmCounter, gemms.Sum(g => g.UopCount));
        Assert.Contains(listings.SelectMany(l => l.Instructions), i => i is MemInsn { IsLoad: true, MemoryType: MemoryType.Inp, PopNext: true });
    }

    [Theory]
    [InlineData(3)] // 2 micro-ops: every kernel is split down to single micro-ops
    [InlineData(6)] // 16 micro-ops
    public void TinyMicroOpBuffersSplitKernelsAndStillMatch(int logUopBuffSize)
    {
        var c = VtaConfig.Create(logUopBuffSize: logUopBuffSize);
        foreach (string spec in new[] { "conv2d:n=1,h=9,w=7,ci=32,co=32,k=3,pad=1", "conv2d_transpose:n=1,h=3,w=3,ci=32,co=16,k=4,pad=1,stride=2", "dense:n=3,ci=48,co=32" })
        {
            var w = WorkloadSpecParser.Parse(spec);
            var r = OpRunner.Run(w, c, seed: 6);
            Assert.True(r.Passed, $"{spec}: {r.Mismatches} mismatches");
            ExpectedCounters.AssertMatch(ExpectedCounters.For(w, c, r.Tiling!), r.Counters);
        }
    }

    [Fact]
    public void AProgramLongerThanTheInstructionStagingIsSynchronizedAutomatically()
    {
        // 1×1 tiles of a 96×96 image: ~9,200 steps, more instructions than one run stages; tokens carry across the runs.
        var w = WorkloadSpecParser.Parse("conv2d:n=1,h=96,w=96,ci=16,co=16,k=3,pad=1");
        var c = VtaConfig.Default;
        var tiling = new ConvTiling(1, 1, 1, 1, 1, 1, LoopOrder.WeightsOuter, 2);
        var runs = new List<StreamListing>();
        var r = OpRunner.Run(w, c, seed: 7, policy: new FixedTilingPolicy(tiling), options: new CommandQueueOptions { Dump = runs.Add });

        Assert.True(r.Passed);
        Assert.True(runs.Count(l => l.Automatic) >= 1, $"{runs.Count} runs");
        ExpectedCounters.AssertMatch(ExpectedCounters.For(w, c, tiling), r.Counters);
    }

    [Fact]
    public void SerialExecutionGivesTheSameResultAndCounters()
    {
        var w = WorkloadCatalog.Resolve("mobilenet.D8");
        var overlapped = OpRunner.Run(w, VtaConfig.Default, seed: 2);
        var serial = OpRunner.Run(w, VtaConfig.Default, seed: 2, options: new CommandQueueOptions { ForceSerial = true });
        Assert.True(overlapped.Passed && serial.Passed);
        Assert.Equal(overlapped.Counters.ToString(), serial.Counters.ToString());
    }
}
