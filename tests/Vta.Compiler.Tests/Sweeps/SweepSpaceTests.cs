using Vta.Compiler.Resources;
using Vta.Compiler.Sweeps;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests.Sweeps;

public class SweepSpaceTests
{
    [Fact]
    public void VaryTakesListsRangesAndMixes()
    {
        Assert.Equal(new[] { "3", "4", "5" }, SweepAxis.Parse("LOG_BLOCK=3,4,5").Values);
        Assert.Equal(new[] { "17", "18", "19" }, SweepAxis.Parse("LOG_WGT_BUFF_SIZE=17..19").Values);
        Assert.Equal(new[] { "0", "2", "3", "4" }, SweepAxis.Parse("log_batch=0,2..4").Values);
        Assert.Equal("LOG_BATCH", SweepAxis.Parse("log_batch=0").Key);
        Assert.Equal(new[] { "pynq", "ultra96" }, SweepAxis.Parse("TARGET=pynq,ultra96").Values);
        Assert.Equal(new[] { "64", "128" }, SweepAxis.Parse("AXI_WIDTH=64,128").Values);
    }

    [Theory]
    [InlineData("LOG_BLOCK", "KEY=")]
    [InlineData("LOG_BLOK=3", "unknown key 'LOG_BLOK'")]
    [InlineData("LOG_BLOCK=5..3", "not an integer range")]
    [InlineData("LOG_BLOCK=3,3", "listed twice")]
    [InlineData("LOG_BLOCK=3,,4", "empty value")]
    public void BadVaryIsAFormatErrorSayingWhat(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => SweepAxis.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void GridIsRowMajorWithTheLastAxisFastest()
    {
        var space = new SweepSpace([SweepAxis.Parse("LOG_BLOCK=3..5"), SweepAxis.Parse("LOG_WGT_BUFF_SIZE=17..18")]);
        Assert.Equal(6, space.GridSize);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, space.Indices());
        var p = space.Point(3);
        Assert.Equal(new KeyValuePair<string, string>[] { new("LOG_BLOCK", "4"), new("LOG_WGT_BUFF_SIZE", "18") }, p.Values);
        Assert.Equal("5", space.Point(5).Values[0].Value);
        Assert.Throws<FormatException>(() => new SweepSpace([SweepAxis.Parse("LOG_BLOCK=3"), SweepAxis.Parse("LOG_BLOCK=4")]));
    }

    [Fact]
    public void SamplesAreSeededDistinctAndSorted()
    {
        SweepAxis[] axes = [SweepAxis.Parse("LOG_BLOCK=1..6"), SweepAxis.Parse("LOG_WGT_BUFF_SIZE=10..25"), SweepAxis.Parse("LOG_INP_BUFF_SIZE=10..20")];
        var a = new SweepSpace(axes, samples: 50, seed: 7).Indices();
        Assert.Equal(a, new SweepSpace(axes, samples: 50, seed: 7).Indices());
        Assert.NotEqual(a, new SweepSpace(axes, samples: 50, seed: 8).Indices());
        Assert.Equal(50, a.Distinct().Count());
        Assert.Equal(a.Order(), a);
        Assert.All(a, i => Assert.InRange(i, 0, 6 * 16 * 11 - 1));
        // more samples than points: the whole grid
        Assert.Equal(6, new SweepSpace([SweepAxis.Parse("LOG_BLOCK=1..6")], samples: 100).Indices().Count);
    }

    [Fact]
    public void ShardsPartitionThePointsByIndexModN()
    {
        var space = new SweepSpace([SweepAxis.Parse("LOG_BLOCK=1..6"), SweepAxis.Parse("LOG_WGT_BUFF_SIZE=10..16")], samples: 20, seed: 1);
        var shards = Enumerable.Range(0, 3).Select(i => space.Indices(i, 3)).ToList();
        Assert.Equal(space.Indices(), shards.SelectMany(s => s).Order());
        for (int i = 0; i < 3; i++)
        {
            Assert.All(shards[i], x => Assert.Equal(i, x % 3));
        }

        Assert.Throws<FormatException>(() => space.Indices(3, 3));
    }

    [Fact]
    public void TimingKeysSetTheTimingParametersAndTvmKeysTheConfig()
    {
        var space = new SweepSpace([SweepAxis.Parse("TARGET=ultra96"), SweepAxis.Parse("AXI_WIDTH=256"), SweepAxis.Parse("CLOCK_MHZ=250")]);
        var (config, timing) = space.Point(0).Resolve(VtaConfig.Default);
        Assert.Equal("ultra96", config.Target);
        Assert.Equal(32, timing.BusBytes);
        Assert.Equal(250, timing.ClockMHz);
        // without timing keys the target's own clock and bus width apply
        var (_, plain) = new SweepSpace([SweepAxis.Parse("TARGET=ultra96")]).Point(0).Resolve(VtaConfig.Default);
        Assert.Equal((333.0, 16), (plain.ClockMHz, plain.BusBytes));
        var bad = new SweepSpace([SweepAxis.Parse("AXI_WIDTH=24")]).Point(0);
        Assert.Equal("AXI_WIDTH", Assert.Throws<VtaConfigException>(() => bad.Resolve(VtaConfig.Default)).Key);
    }

    [Fact]
    public void HashNamesTheSweepNotTheShardOrTheRun()
    {
        var target = SweepTargets.Resolve("resnet18.C11");
        SweepDefinition Def(string vary, int seed = 0, string? device = null) =>
            new(target, VtaConfig.Default, new SweepSpace([SweepAxis.Parse(vary)], seed: seed), device is null ? null : FpgaDevice.Find(device));
        string h = Def("LOG_BLOCK=4,5").Hash;
        Assert.Equal(16, h.Length);
        Assert.Equal(h, Def("LOG_BLOCK=4,5").Hash);
        Assert.Equal(h, SweepDefinition.HashOf(Def("LOG_BLOCK=4,5").HeaderComment));
        Assert.NotEqual(h, Def("LOG_BLOCK=4..6").Hash);
        Assert.NotEqual(h, Def("LOG_BLOCK=4,5", seed: 1).Hash);
        Assert.NotEqual(h, Def("LOG_BLOCK=4,5", device: "xczu3eg").Hash);
        Assert.NotEqual(h, new SweepDefinition(SweepTargets.Resolve("resnet18.C10"), VtaConfig.Default, new SweepSpace([SweepAxis.Parse("LOG_BLOCK=4,5")])).Hash);
        Assert.Null(SweepDefinition.HashOf("index,config"));
    }

    [Fact]
    public void NamedSetsHoldTheNetworksLayers()
    {
        var resnet = Assert.IsType<WorkloadSetTarget>(SweepTargets.Resolve("ops:resnet18"));
        // ResNet-18 after conv1: 16 3×3 convolutions and 3 downsampling 1×1 convolutions
        Assert.Equal(19, resnet.Workloads.Sum(w => w.Count));
        Assert.Equal(new[] { 4, 1, 1, 3, 1, 1, 3, 1, 1, 3 }, resnet.Workloads.Select(w => w.Count));
        Assert.Equal(16, resnet.Workloads.Where(w => ((Workloads.Conv2dWorkload)w.Workload).KernelH == 3).Sum(w => w.Count));
        Assert.Equal(9, Assert.IsType<WorkloadSetTarget>(SweepTargets.Resolve("ops:mobilenet")).Workloads.Count);
        Assert.Equal(3, Assert.IsType<WorkloadSetTarget>(SweepTargets.Resolve("ops:dcgan")).Workloads.Count);
        Assert.Single(Assert.IsType<WorkloadSetTarget>(SweepTargets.Resolve("dense:n=1,ci=64,co=32")).Workloads);
        Assert.Contains("ModelSweepTarget", Assert.Throws<FormatException>(() => SweepTargets.Resolve("zoo:resnet18")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => SweepTargets.Resolve("ops:vgg"));
    }
}
