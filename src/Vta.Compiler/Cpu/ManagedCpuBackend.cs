using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>The reference kernels (<see cref="OpEvaluator"/>) for every node: nothing to compile.</summary>
public sealed class ManagedCpuBackend : ICpuBackend
{
    public static ManagedCpuBackend Instance { get; } = new();

    public string Name => CpuBackends.ManagedName;

    public IPreparedCpu Prepare(Graph graph, IEnumerable<Node> cpuNodes) =>
        new PreparedCpu(Name, graph, cpuNodes, static (_, _) => CpuBinding.Managed("managed back end"));
}
