using Vta.Compiler.Graphs;
using Vta.Hardware.Config;

namespace Vta.Compiler.Passes;

/// <summary>
/// Decides where each node runs, from its op and the configuration only (no model-specific start or stop names):
/// <see cref="VtaConv2d"/> with groups of 1 or whole blocks per group, and <see cref="VtaDense"/>, go to VTA; every other
/// op stays on the CPU (depthwise convs, pooling, softmax, reshapes, the model's own quantized ops). Nodes named in
/// <c>forceCpu</c> stay on the CPU whatever they are; an unknown name is an error, so a typo never goes unnoticed.
/// The result is the same graph with each VTA op's <c>Target</c> set; it computes the same integers either way.
/// </summary>
public sealed class Partition(VtaConfig config, IEnumerable<string>? forceCpu = null) : IGraphPass
{
    private readonly HashSet<string> _forceCpu = [.. forceCpu ?? []];

    public Graph Run(Graph graph, PassContext context)
    {
        foreach (string name in _forceCpu)
        {
            _ = graph.GetNode(name);
        }
        GraphBuilder builder = GraphBuilder.StartFrom(graph);
        foreach (Node node in graph.Nodes)
        {
            bool vta = !_forceCpu.Contains(node.Name) && Eligible(node, graph, config);
            ExecutionTarget target = vta ? ExecutionTarget.Vta : ExecutionTarget.Cpu;
            Op op = node.Op switch
            {
                VtaConv2d c => c with { Target = target },
                VtaDense d => d with { Target = target },
                _ => node.Op,
            };
            builder.AddNode(node.Name, op, node.Inputs, node.Outputs, node.Outputs.Select(o => graph.TypeOf(o).Quant).ToArray());
        }
        foreach (string output in graph.Outputs)
        {
            builder.AddOutput(output);
        }
        return builder.Build();
    }

    /// <summary>Whether VTA can run the node on this configuration, as far as its op and shapes tell.</summary>
    public static bool Eligible(Node node, Graph graph, VtaConfig config)
    {
        switch (node.Op)
        {
            case VtaDense:
                return true;
            case VtaConv2d c when c.Groups == 1:
                return true;
            case VtaConv2d c:
                int inPerGroup = graph.TypeOf(node.Inputs[0]).Shape[c.Layout.ChannelAxis()] / c.Groups;
                int outPerGroup = graph.TypeOf(node.Output).Shape[c.Layout.ChannelAxis()] / c.Groups;
                return inPerGroup % config.BlockIn == 0 && outPerGroup % config.BlockOut == 0;
            default:
                return false;
        }
    }
}
