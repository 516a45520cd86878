using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;

namespace Vta.Compiler.Quant;

/// <summary>
/// Fuses a float ReLU into the conv2d, dense or add that feeds it (when that op has no activation yet, its output
/// feeds only the ReLU and is not a graph output). The fused node keeps its name and takes the ReLU's output value.
/// After quantization the ReLU is the lower clip of VTA's epilogue (MAX 0) instead of a CPU pass over the tensor.
/// </summary>
public sealed class FuseRelu : IGraphPass
{
    public Graph Run(Graph graph, PassContext context)
    {
        Dictionary<Node, Node> reluOf = [];
        foreach (Node relu in graph.Nodes.Where(n => n.Op is Relu))
        {
            if (graph.ProducerOf(relu.Inputs[0]) is { } producer && CanFuse(graph, producer))
            {
                reluOf[producer] = relu;
            }
        }
        HashSet<Node> fused = [.. reluOf.Values];
        GraphBuilder builder = GraphBuilder.StartFrom(graph);
        foreach (Node node in graph.Nodes)
        {
            if (fused.Contains(node))
            {
                continue;
            }
            if (reluOf.TryGetValue(node, out Node? relu))
            {
                Op op = node.Op switch
                {
                    Conv2d c => c with { Activation = FusedActivation.Relu },
                    Dense d => d with { Activation = FusedActivation.Relu },
                    Add a => a with { Activation = FusedActivation.Relu },
                    _ => throw new InvalidOperationException($"node '{node.Name}' ({node.Op.Kind}) cannot take a fused ReLU"),
                };
                builder.AddNode(node.Name, op, node.Inputs, relu.Output);
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

    private static bool CanFuse(Graph graph, Node producer)
    {
        FusedActivation? activation = producer.Op switch
        {
            Conv2d c => c.Activation,
            Dense d => d.Activation,
            Add a => a.Activation,
            _ => null,
        };
        return activation == FusedActivation.None
            && graph.TypeOf(producer.Output).DType == DataType.Float32
            && graph.ConsumersOf(producer.Output).Count == 1
            && !graph.Outputs.Contains(producer.Output);
    }
}
