using Vta.Compiler.Running;
using Vta.Compiler.Tests.Infrastructure;
using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;

namespace Vta.Compiler.Tests.Tuning;

/// <summary>The shared enumeration behind the default policy and the tuner.</summary>
public class TilingSpaceTests
{
    [Theory]
    [InlineData("resnet18.C5", "default")]
    [InlineData("resnet18.C9", "1x8")]
    [InlineData("mobilenet.D3", "default")]
    [InlineData("dcgan.CT2", "2x16")]
    [InlineData("dense.16x512x1008", "default")]
    public void EveryTilingFitsAndTheDefaultIsTheCheapestWithTheLargestChunk(string workload, string configName)
    {
        var config = TestConfigs.Get(configName);
        var plan = ((ConvOp)OpCompiler.Compile(WorkloadCatalog.Resolve(workload), config)).Plan;
        var (p, e) = (plan.Problem, plan.Epilogue);
        var largest = TilingSpace.Fitting(p, e, config).ToList();
        var every = TilingSpace.Fitting(p, e, config, everyChunk: true).ToList();

        Assert.All(every, s => Assert.True(s.Fits, s.T.ToString()));
        Assert.Equal(every.Count, every.Select(s => s.T).Distinct().Count());
        Assert.Subset(every.Select(s => s.T).ToHashSet(), largest.Select(s => s.T).ToHashSet());
        Assert.True(p.InBlocks == 1 ? every.Count == largest.Count : every.Count > largest.Count, "smaller input chunks add tilings");
        // The default is the cheapest by the model of the largest-chunk space, the first one of equal cost.
        var cheapest = largest.First(s => s.Cost == largest.Min(x => x.Cost));
        Assert.Equal(cheapest.T, plan.Tiling);
    }
}
