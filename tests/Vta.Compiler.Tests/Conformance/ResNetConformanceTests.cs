using Vta.Compiler.Tests.Infrastructure;

namespace Vta.Compiler.Tests.Conformance;

/// <summary>ResNet-18 C2–C11 (TVM's test_benchmark_topi_conv2d) at the four configurations.</summary>
public class ResNetConformanceTests
{
    public static TheoryData<string, string> Cases => Infrastructure.Conformance.Matrix("resnet18.");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReferenceWithExpectedCounters(string workload, string config) => Infrastructure.Conformance.Check(workload, config);

    [Fact]
    public void EveryWeightIsLoadedOnceAtTheDefaultConfiguration()
    {
        // With whole-input-block weight chunks, weights never stream twice: wgt bytes equal the weight tensor.
        foreach (string name in new[] { "resnet18.C2", "resnet18.C8", "resnet18.C11" })
        {
            var r = Infrastructure.Conformance.Check(name, "default");
            var w = (Workloads.Conv2dWorkload)r.Workload;
            Assert.Equal((long)w.OutChannels * w.InChannels * w.KernelH * w.KernelW, r.Counters.WgtLoadNbytes);
        }
    }
}
