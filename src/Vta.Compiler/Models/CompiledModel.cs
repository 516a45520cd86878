using System.Globalization;
using System.Text;
using Vta.Compiler.Graphs;
using Vta.Compiler.Programs;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Models;

/// <summary>
/// A model compiled for one configuration: the rewritten, partitioned graph (which the reference executor runs as the
/// plain int8 executor the VTA path must equal bit for bit), one <see cref="VtaLayer"/> per VTA node with its weights
/// packed once, and the steps that run it. Nothing is bound to a device until <see cref="Run"/>.
/// </summary>
public sealed class CompiledModel
{
    private ModelProgram? _program;

    internal CompiledModel(Graph source, Graph graph, VtaConfig config, IReadOnlyList<ModelStep> steps, IReadOnlyList<string> notes)
    {
        Source = source;
        Graph = graph;
        Config = config;
        Steps = steps;
        Notes = notes;
    }

    /// <summary>The graph as imported: the model's own arithmetic.</summary>
    public Graph Source { get; }

    /// <summary>The rewritten, partitioned graph.</summary>
    public Graph Graph { get; }

    public VtaConfig Config { get; }

    public IReadOnlyList<ModelStep> Steps { get; }

    /// <summary>Layers left in their own arithmetic and VTA layers moved back to the CPU, one line each.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>How its pre-quantized layers were requantized: <see cref="RequantMode.Exact"/> or <see cref="RequantMode.Vta"/> (never Auto).</summary>
    public RequantMode Requantization { get; init; } = RequantMode.Vta;

    public IReadOnlyList<VtaLayer> VtaLayers => [.. Steps.OfType<VtaStep>().Select(s => s.Layer)];

    /// <summary>
    /// Runs the model on <paramref name="device"/> (its configuration must be this one): weights are uploaded once, VTA
    /// layers run in one command queue with a synchronization after each (for per-layer counters), CPU nodes on the
    /// reference kernels. Every device buffer allocated here is freed before returning.
    /// </summary>
    public ModelRunResult Run(IVtaDevice device, IReadOnlyDictionary<string, Tensor> inputs, ModelRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(inputs);
        ModelProgram program = options?.Queue is null ? Program : ProgramBuilder.Build(this, options.Queue);
        using var bound = new BoundProgram(program, Graph, device);
        return bound.Run(inputs, options);
    }

    /// <summary>The static program every run executes (built once, on first use).</summary>
    public ModelProgram Program => _program ??= ProgramBuilder.Build(this);

    /// <summary>
    /// The CPU nodes bound to <paramref name="backend"/>'s kernels (compiled once: a second call returns the same
    /// instance). Pass it as <see cref="ModelRunOptions.PreparedCpu"/> to runs.
    /// </summary>
    public Vta.Compiler.Cpu.IPreparedCpu PrepareCpu(Vta.Compiler.Cpu.ICpuBackend backend) =>
        Vta.Compiler.Cpu.CpuBackends.PrepareFor(Graph, backend);

    /// <summary>The nodes of a partitioned graph that run on the CPU.</summary>
    public static IEnumerable<Node> CpuNodesOf(Graph graph) => graph.Nodes.Where(n => ModelCompiler.TargetOf(n) == ExecutionTarget.Cpu);

    /// <summary>One line per step: where it runs and what it does.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        foreach (ModelStep step in Steps)
        {
            string text = step switch
            {
                VtaStep v => $"vta  {v.Name}: {v.Layer.Workload.Spec}, tiles {v.Layer.Plan.Tiling}"
                    + (v.Layer.HostPadding == Pads2d.Zero ? string.Empty : $", input padded on the host with {v.Layer.PadValue} by {v.Layer.HostPadding}")
                    + (v.Layer.Residual is { } r ? $", + shortcut '{r}' in the accumulator" : string.Empty),
                CpuStep c => $"cpu  {c.Name}: {c.Node.Op.Kind}",
                PackStep p => $"host {p.Name}: pack {p.Layout.Name()} to NCHW{p.Shape.Batch}n{p.Shape.Block}c, {p.Shape.Channels} channels",
                UnpackStep u => $"host {u.Name}: unpack to {u.Layout.Name()}",
                _ => step.ToString(),
            };
            sb.Append(text).Append('\n');
        }

        return sb.ToString();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Graph.Name} for {Config.Name}: {VtaLayers.Count} VTA layers, {Steps.OfType<CpuStep>().Count()} CPU nodes");
}
