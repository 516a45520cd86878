using System.Collections.Concurrent;
using System.Diagnostics;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>A node bound to a fast kernel: computes the node's single output from its input values.</summary>
public delegate Tensor CpuNodeKernel(IReadOnlyList<Tensor> inputs);

/// <summary>
/// What a backend's binder says about one node: a kernel and its name, or null and the reason the managed kernel
/// (<see cref="OpEvaluator"/>) computes it.
/// </summary>
public readonly record struct CpuBinding(CpuNodeKernel? Kernel, string Name, string? Reason)
{
    public static CpuBinding Managed(string reason) => new(null, CpuNodePlan.Managed, reason);
}

/// <summary>
/// The shared <see cref="IPreparedCpu"/>: nodes bound by a backend's binder up front, other nodes bound on first use;
/// unbound nodes and nodes the binder declines run on <see cref="OpEvaluator"/>.
/// </summary>
public sealed class PreparedCpu : IPreparedCpu
{
    private readonly Graph _graph;
    private readonly Func<Graph, Node, CpuBinding> _bind;
    private readonly ConcurrentDictionary<string, CpuBinding> _bindings = new();
    private readonly List<CpuNodePlan> _plans = [];

    public PreparedCpu(string backend, Graph graph, IEnumerable<Node> nodes, Func<Graph, Node, CpuBinding> bind)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(nodes);
        Backend = backend;
        _graph = graph;
        _bind = bind;
        var clock = Stopwatch.StartNew();
        foreach (Node node in nodes)
        {
            Bind(node);
        }

        PrepareSeconds = clock.Elapsed.TotalSeconds;
    }

    public string Backend { get; }

    public IReadOnlyList<CpuNodePlan> Plans
    {
        get
        {
            lock (_plans)
            {
                return [.. _plans];
            }
        }
    }

    public double PrepareSeconds { get; }

    public IReadOnlyList<Tensor> Run(Node node, IReadOnlyList<Tensor> inputs)
    {
        CpuBinding binding = _bindings.TryGetValue(node.Name, out CpuBinding b) ? b : Bind(node);
        return binding.Kernel is { } kernel ? [kernel(inputs)] : OpEvaluator.Evaluate(node.Op, inputs, [.. node.Outputs.Select(_graph.TypeOf)]);
    }

    private CpuBinding Bind(Node node)
    {
        CpuBinding binding;
        try
        {
            binding = node.Outputs.Count == 1 ? _bind(_graph, node) : CpuBinding.Managed("more than one output");
        }
        catch (Exception e) when (e is GraphException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new GraphException($"node '{node.Name}' ({node.Op.Kind}): preparing the {Backend} kernel: {e.Message}", node.Name, e);
        }

        if (_bindings.TryAdd(node.Name, binding))
        {
            lock (_plans)
            {
                _plans.Add(new CpuNodePlan(node.Name, node.Op.Kind, binding.Name, binding.Reason));
            }
        }

        return _bindings[node.Name];
    }
}
