using Vta.Compiler.Running;
using Vta.Compiler.Tests.Infrastructure;
using Vta.Compiler.Workloads;

namespace Vta.Compiler.Tests.Conformance;

/// <summary>MobileNet group convolutions D1–D9. Each has 16 channels per group, so 1x32 (32-channel blocks) must refuse them.</summary>
public class MobileNetConformanceTests
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var row in Infrastructure.Conformance.Matrix("mobilenet."))
            {
                if ((string)row[1] != "1x32")
                {
                    data.Add((string)row[0], (string)row[1]);
                }
            }

            return data;
        }
    }

    public static TheoryData<string> Names => [.. WorkloadCatalog.All.Where(w => w.Name.StartsWith("mobilenet.", StringComparison.Ordinal)).Select(w => w.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReferenceWithExpectedCounters(string workload, string config) => Infrastructure.Conformance.Check(workload, config);

    [Theory]
    [MemberData(nameof(Names))]
    public void IsRefusedAt1x32BecauseAGroupIsHalfABlock(string workload)
    {
        var e = Assert.Throws<VtaCompileException>(() => OpCompiler.Compile(WorkloadCatalog.Resolve(workload), TestConfigs.Get("1x32")));
        Assert.Equal(workload, e.Layer);
        Assert.Contains("16 channels per group", e.Message, StringComparison.Ordinal);
        Assert.Contains("32-channel block", e.Message, StringComparison.Ordinal);
    }
}
