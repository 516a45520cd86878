using System.Collections.Concurrent;
using Vta.Compiler.Running;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests.Infrastructure;

/// <summary>
/// One reference per workload, shared by every configuration: operands and expected result are computed once at the
/// largest batch (for workloads whose batch is BATCH), and a configuration with a smaller BATCH takes the first images.
/// </summary>
public static class ReferenceCache
{
    public const int Seed = 42;

    private static readonly ConcurrentDictionary<string, Lazy<OpCase>> s_cases = new();

    public static OpCase For(Workload workload, VtaConfig config)
    {
        var full = s_cases.GetOrAdd(workload.Spec, _ => new Lazy<OpCase>(() =>
        {
            var w = workload.Batch == 0 ? workload.ForConfig(VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18)) : workload;
            return OpRunner.Expected(w, OpData.Random(w, Seed));
        })).Value;
        return full.TakeBatch(workload.ForConfig(config).Batch);
    }
}
