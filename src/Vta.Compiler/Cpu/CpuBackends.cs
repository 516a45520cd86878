using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm;
using Vta.Compiler.Llvm.Native;

namespace Vta.Compiler.Cpu;

/// <summary>The CPU back ends by name, and the per-graph cache of prepared ones.</summary>
public static class CpuBackends
{
    public const string ManagedName = "managed";
    public const string LlvmName = "llvm";

    public static IReadOnlyList<string> Names { get; } = [LlvmName, ManagedName];

    private static readonly ConditionalWeakTable<Graph, ConcurrentDictionary<ICpuBackend, Lazy<IPreparedCpu>>> s_prepared = new();

    /// <summary>
    /// The back end called <paramref name="name"/>. "llvm" when libLLVM cannot be loaded: one line to
    /// <paramref name="warn"/> saying why, and the managed back end.
    /// </summary>
    public static ICpuBackend Create(string name, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.Trim().ToLowerInvariant())
        {
            case ManagedName:
                return ManagedCpuBackend.Instance;
            case LlvmName:
                if (LlvmLibrary.TryLoad(out string? reason))
                {
                    return LlvmCpuBackend.Instance;
                }

                warn?.Invoke($"vta: note: {reason}; the CPU nodes run on the managed kernels");
                return ManagedCpuBackend.Instance;
            default:
                throw new ArgumentException($"unknown CPU back end '{name}' (expected {string.Join(" or ", Names)})", nameof(name));
        }
    }

    /// <summary>
    /// <paramref name="backend"/> prepared for the CPU nodes of <paramref name="graph"/> (<see cref="Models.CompiledModel.CpuNodesOf"/>),
    /// once per (graph, back end) for the life of the graph: the second request returns the same instance.
    /// </summary>
    public static IPreparedCpu PrepareFor(Graph graph, ICpuBackend backend)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(backend);
        var perGraph = s_prepared.GetValue(graph, _ => new ConcurrentDictionary<ICpuBackend, Lazy<IPreparedCpu>>());
        return perGraph.GetOrAdd(backend, b => new Lazy<IPreparedCpu>(() => b.Prepare(graph, Models.CompiledModel.CpuNodesOf(graph)))).Value;
    }
}
