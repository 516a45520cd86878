using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm;

/// <summary>
/// CPU nodes as LLVM-compiled kernels (<see cref="LlvmNodeBinder"/>): each supported node's kernel is compiled once
/// (or linked from the disk cache, <see cref="KernelCache"/>) and its constants packed once; the rest stay managed.
/// </summary>
public sealed class LlvmCpuBackend : ICpuBackend
{
    public static LlvmCpuBackend Instance { get; } = new();

    public string Name => CpuBackends.LlvmName;

    public IPreparedCpu Prepare(Graph graph, IEnumerable<Node> cpuNodes) => new PreparedCpu(Name, graph, cpuNodes, LlvmNodeBinder.Bind);
}
