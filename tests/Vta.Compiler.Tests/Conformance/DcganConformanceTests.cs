using Vta.Compiler.Tests.Infrastructure;

namespace Vta.Compiler.Tests.Conformance;

/// <summary>DCGAN transposed convolutions CT1–CT3: GEMMs only for the kernel taps that meet real input (a quarter of them).</summary>
public class DcganConformanceTests
{
    public static TheoryData<string, string> Cases => Infrastructure.Conformance.Matrix("dcgan.");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReferenceWithExpectedCounters(string workload, string config) => Infrastructure.Conformance.Check(workload, config);
}
