using Vta.Compiler.Running;
using Vta.Compiler.Workloads;

namespace Vta.Compiler.Tests.Infrastructure;

/// <summary>Runs a named workload at a test configuration and checks the result and all seven counters.</summary>
public static class Conformance
{
    public static TheoryData<string, string> Matrix(string prefix)
    {
        var data = new TheoryData<string, string>();
        foreach (var w in WorkloadCatalog.All.Where(w => w.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            foreach (string c in TestConfigs.Names)
            {
                data.Add(w.Name, c);
            }
        }

        return data;
    }

    public static OpResult Check(string name, string configName)
    {
        var w = WorkloadCatalog.Resolve(name);
        var c = TestConfigs.Get(configName);
        var r = OpRunner.Run(w, c, given: ReferenceCache.For(w, c));

        Assert.True(r.Passed, $"{name} at {configName}: {r.Mismatches} outputs differ from the reference");
        ExpectedCounters.AssertMatch(ExpectedCounters.For(w, c, r.Tiling!), r.Counters);

        // Micro-ops: some are loaded, and never more than one uop buffer's worth (kernels are not reloaded).
        Assert.InRange(r.Counters.UopLoadNbytes, 4, c.UopBuffBytes);
        return r;
    }
}
