using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>
/// How the CPU nodes of a partitioned graph are computed. <see cref="Prepare"/> does the expensive part once (binding
/// each node to a kernel, packing its constants, compiling machine code); the result runs the nodes many times.
/// </summary>
public interface ICpuBackend
{
    /// <summary>"managed" or "llvm", as the CLI spells it.</summary>
    string Name { get; }

    /// <summary>Binds every node of <paramref name="cpuNodes"/> (nodes of <paramref name="graph"/>) to a kernel.</summary>
    IPreparedCpu Prepare(Graph graph, IEnumerable<Node> cpuNodes);
}

/// <summary>The CPU nodes of one graph bound to their kernels, ready to run any number of times (thread-safe).</summary>
public interface IPreparedCpu
{
    /// <summary>The backend that prepared it.</summary>
    string Backend { get; }

    /// <summary>One entry per prepared node: the kernel it runs, or why it stays on the managed kernel.</summary>
    IReadOnlyList<CpuNodePlan> Plans { get; }

    /// <summary>Seconds spent preparing (compiling or loading machine code included).</summary>
    double PrepareSeconds { get; }

    /// <summary>
    /// Computes <paramref name="node"/>'s outputs from its input values (constants included, in the node's order). A node
    /// that was not among the prepared ones is bound on first use. The kernels' exceptions pass through (the executor names the node).
    /// </summary>
    IReadOnlyList<Tensor> Run(Node node, IReadOnlyList<Tensor> inputs);

    /// <summary>
    /// Computes <paramref name="node"/>'s single output into <paramref name="output"/> (of the output's type), memory the
    /// caller owns and reuses: kernels write into it directly (<see cref="CpuOutputSlot"/>); others are copied into it.
    /// </summary>
    void RunInto(Node node, IReadOnlyList<Tensor> inputs, Tensor output)
    {
        Tensor result = CpuOutputSlot.With(output, () => Run(node, inputs)[0]);
        if (!ReferenceEquals(result.Data, output.Data))
        {
            Array.Copy(result.Data, output.Data, output.Length);
        }
    }
}

/// <summary>What one CPU node runs: <paramref name="Kernel"/> names the compiled kernel, or is "managed" with <paramref name="Reason"/>.</summary>
public sealed record CpuNodePlan(string Node, string Kind, string Kernel, string? Reason)
{
    public const string Managed = "managed";

    public bool IsManaged => Kernel == Managed;
}
