using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;
using Vta.Compiler.Tiling;
using Vta.Hardware.Config;

namespace Vta.Compiler.Models;

/// <summary>Options of <see cref="ModelCompiler.Compile"/>.</summary>
public sealed record ModelCompileOptions
{
    /// <summary>Nodes to keep on the CPU whatever they are (by name, as in the imported graph).</summary>
    public IReadOnlyCollection<string> ForceCpu { get; init; } = [];

    public ITilingPolicy? TilingPolicy { get; init; }

    /// <summary>Where the passes record or print the graph after each step (default: a silent context).</summary>
    public PassContext? PassContext { get; init; }

    /// <summary>How pre-quantized layers are requantized (<see cref="RequantMode"/>; default: on VTA).</summary>
    public RequantMode Requantization { get; init; } = RequantMode.Vta;
}

/// <summary>Where a pre-quantized layer's int32 sums become int8 outputs.</summary>
public enum RequantMode
{
    /// <summary>On VTA: the folded form (or the multiply form where the ALU has MUL), whose rounding differs from the model's by a few steps.</summary>
    Vta,

    /// <summary>
    /// The exact form: the model's own weights on VTA, whose int32 sums (stored as 2 to 4 byte planes) the host
    /// requantizes with the model's own arithmetic, so outputs equal the model's (ONNX Runtime's, TFLite's) bit for bit.
    /// A layer whose weights minus zero point leave int8 keeps its own arithmetic on the CPU.
    /// </summary>
    Exact,

    /// <summary>Exact when every quantized layer can take the exact form (then the whole model is bit-exact), else Vta.</summary>
    Auto,
}

/// <summary>
/// Compiles a pre-quantized graph for VTA: <see cref="LowerQuantizedToVta"/> (the VTA form of conv and dense),
/// <see cref="FuseResidualAdd"/> (shortcut adds into the conv before them), dead-code elimination, <see cref="Partition"/>, then one <see cref="VtaLayer"/> per VTA node. A VTA node the operator
/// compiler refuses on this configuration (no tiling fits, a field overflows) goes back to the CPU with a one-line note;
/// it computes the same integers there. Finally the steps: nodes in order, with a pack before the first VTA reader of
/// a host value and an unpack before the first CPU reader (or graph output) of a VTA value; VTA to VTA stays packed.
/// A fused shortcut is packed like the layer's output (the program widens it to int32 ACC elements before the layer).
/// </summary>
public static class ModelCompiler
{
    public static CompiledModel Compile(Graph graph, VtaConfig config, ModelCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(config);
        options ??= new ModelCompileOptions();
        bool exact = options.Requantization != RequantMode.Vta;
        var lower = new LowerQuantizedToVta(config, exact: exact);
        if (options.Requantization == RequantMode.Auto)
        {
            // A trial lowering: every quantized layer must take the exact form, or none does.
            lower.Run(graph, new PassContext());
            exact = lower.Notes.Count == 0;
            lower = new LowerQuantizedToVta(config, exact: exact);
        }

        var passes = new PassManager(lower, new FuseResidualAdd(), new DeadCodeElimination(), new Partition(config, options.ForceCpu));
        Graph partitioned = passes.Run(graph, options.PassContext ?? new PassContext());

        List<string> notes = [.. lower.Notes];
        Dictionary<string, VtaLayer> layers = [];
        HashSet<string> refused = [];
        foreach (Node node in partitioned.Nodes.Where(n => TargetOf(n) == ExecutionTarget.Vta))
        {
            try
            {
                layers[node.Name] = VtaLayer.Compile(partitioned, node, config, options.TilingPolicy);
            }
            catch (VtaCompileException e)
            {
                refused.Add(node.Name);
                notes.Add($"{node.Name} runs on the CPU: {e.Reason}");
            }
        }

        Graph final = refused.Count == 0 ? partitioned : new Partition(config, [.. options.ForceCpu, .. refused]).Run(partitioned, new PassContext());
        return new CompiledModel(graph, final, config, Steps(final, layers), notes) { Requantization = exact ? RequantMode.Exact : RequantMode.Vta };
    }

    public static ExecutionTarget TargetOf(Node node) => node.Op switch
    {
        IVtaLayerOp v => v.Target,
        _ => ExecutionTarget.Cpu,
    };

    private static List<ModelStep> Steps(Graph graph, Dictionary<string, VtaLayer> layers)
    {
        List<ModelStep> steps = [];
        Dictionary<string, (PackedShape Shape, DataLayout Layout)> packed = [];
        HashSet<string> onHost = [.. graph.Inputs, .. graph.Constants.Keys];
        foreach (Node node in graph.Nodes)
        {
            if (layers.TryGetValue(node.Name, out VtaLayer? layer))
            {
                string input = node.Inputs[0];
                DataLayout layout = node.Op is VtaConv2d c ? c.Layout : DataLayout.Nchw;
                if (!packed.TryGetValue(input, out var have))
                {
                    steps.Add(new PackStep(input, layer.Input, layout, node.Name));
                    packed[input] = (layer.Input, layout);
                }
                else if (have.Shape != layer.Input)
                {
                    throw new InvalidOperationException($"{node.Name}: input '{input}' is packed as {have.Shape}, the layer reads {layer.Input}");
                }

                if (layer.Residual is { } shortcut)
                {
                    if (!packed.TryGetValue(shortcut, out var residual))
                    {
                        steps.Add(new PackStep(shortcut, layer.Output, layout, node.Name + "/residual"));
                        packed[shortcut] = (layer.Output, layout);
                    }
                    else if (residual.Shape != layer.Output)
                    {
                        throw new InvalidOperationException($"{node.Name}: residual '{shortcut}' is packed as {residual.Shape}, the layer writes {layer.Output}");
                    }
                }

                steps.Add(new VtaStep(layer));
                packed[node.Output] = (layer.Output, layout);
                continue;
            }

            for (int i = 0; i < node.Inputs.Count; i++)
            {
                string input = node.Inputs[i];
                if (onHost.Add(input))
                {
                    steps.Add(new UnpackStep(input, packed[input].Shape, packed[input].Layout, node.Name, i));
                }
            }

            steps.Add(new CpuStep(node));
            onHost.UnionWith(node.Outputs);
        }

        for (int i = 0; i < graph.Outputs.Count; i++)
        {
            string output = graph.Outputs[i];
            if (onHost.Add(output))
            {
                steps.Add(new UnpackStep(output, packed[output].Shape, packed[output].Layout, "output", i));
            }
        }

        return steps;
    }
}
