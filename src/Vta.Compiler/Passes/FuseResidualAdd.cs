using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Passes;

/// <summary>
/// Fuses ResNet's shortcut add into the conv before it, so VTA adds the shortcut in the accumulator (TVM's int32 ACC
/// loads) instead of the host unpacking, adding and re-packing. Applies to an int8 add whose inputs and output share one
/// scale and zero point 0 (TVM's quantization scheme): TFLite's integer add is then exactly clamp(a + b) in the add's
/// activation range, so out = clamp(clamp(requant(acc)) + shortcut) keeps the model's arithmetic bit for bit. One input
/// must come from a <see cref="VtaConv2d"/> whose only reader is this add; the fused node takes the conv's name and the
/// add's output, and sits where the add was.
/// </summary>
public sealed class FuseResidualAdd : IGraphPass
{
    public Graph Run(Graph graph, PassContext context)
    {
        // add name → (conv node, shortcut value)
        var fused = new Dictionary<string, (Node Conv, string Shortcut)>();
        var absorbed = new HashSet<string>();
        var order = graph.Nodes.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i);
        foreach (Node node in graph.Nodes)
        {
            if (node.Op is Add && Exact(graph, node))
            {
                // Of two candidates (a downsampling block), the later conv: then no node moves.
                var candidates = Enumerable.Range(0, 2)
                    .Select(side => (Side: side, Conv: FusableConv(graph, node, node.Inputs[side])))
                    .Where(c => c.Conv is not null && !absorbed.Contains(c.Conv.Name))
                    .OrderByDescending(c => order[c.Conv!.Name]);
                foreach (var (side, conv) in candidates.Take(1))
                {
                    fused[node.Name] = (conv!, node.Inputs[1 - side]);
                    absorbed.Add(conv!.Name);
                }
            }
        }

        GraphBuilder builder = GraphBuilder.StartFrom(graph);
        foreach (Node node in graph.Nodes)
        {
            if (absorbed.Contains(node.Name))
            {
                continue;
            }

            if (fused.TryGetValue(node.Name, out var pair))
            {
                var add = (Add)node.Op;
                TensorType y = graph.TypeOf(node.Output);
                (int min, int max) = QuantizedActivation.Range(add.Activation, y);
                var conv = (VtaConv2d)pair.Conv.Op;
                builder.AddNode(pair.Conv.Name, conv with { Residual = new ResidualClip(min, max) }, [.. pair.Conv.Inputs, pair.Shortcut], node.Output, y.Quant);
                continue;
            }

            builder.CopyNode(graph, node);
        }

        foreach (string output in graph.Outputs)
        {
            builder.AddOutput(output);
        }

        return builder.Build();
    }

    /// <summary>Both inputs and the output int8 with one per-tensor scale and zero point 0, same shapes (no broadcast).</summary>
    private static bool Exact(Graph graph, Node add)
    {
        TensorType a = graph.TypeOf(add.Inputs[0]), b = graph.TypeOf(add.Inputs[1]), y = graph.TypeOf(add.Output);
        bool Plain(TensorType t) => t.DType == DataType.Int8 && t.Quant is { IsPerChannel: false, ZeroPoint: 0 } && t.Shape.Rank == 4;
        return add.Inputs[0] != add.Inputs[1] && Plain(a) && Plain(b) && Plain(y) && a.Shape == y.Shape && b.Shape == y.Shape
            && a.Quant!.Scale == y.Quant!.Scale && b.Quant!.Scale == y.Quant.Scale;
    }

    /// <summary>The VTA conv producing <paramref name="value"/>, when the add is its only reader and it has no residual yet.</summary>
    private static Node? FusableConv(Graph graph, Node add, string value) =>
        graph.ProducerOf(value) is { Op: VtaConv2d { Residual: null, Exact: null } } conv && !graph.Outputs.Contains(value)
            && graph.ConsumersOf(value) is [var only] && only == add
            ? conv
            : null;
}
