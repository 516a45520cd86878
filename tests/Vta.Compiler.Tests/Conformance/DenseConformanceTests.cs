using Vta.Compiler.Tests.Infrastructure;

namespace Vta.Compiler.Tests.Conformance;

/// <summary>dense 128×128×128 and 16×512×1008 at the four configurations (1008 is padded to 1024 at 1x32).</summary>
public class DenseConformanceTests
{
    public static TheoryData<string, string> Cases => Infrastructure.Conformance.Matrix("dense.");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReferenceWithExpectedCounters(string workload, string config)
    {
        var r = Infrastructure.Conformance.Check(workload, config);

        // Dense tiles span the whole batch, so inputs and weights are each loaded exactly once.
        var w = (Workloads.DenseWorkload)r.Workload;
        var c = TestConfigs.Get(config);
        int paddedOut = (w.OutChannels + c.BlockOut - 1) / c.BlockOut * c.BlockOut;
        Assert.Equal((long)w.N * w.InChannels, r.Counters.InpLoadNbytes);
        Assert.Equal((long)paddedOut * w.InChannels, r.Counters.WgtLoadNbytes);
    }
}
