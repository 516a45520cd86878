using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Passes;

/// <summary>
/// Evaluates every node whose inputs are all constants with the reference kernels and replaces its outputs by
/// constants (keeping their names and quantization). Constants left unused are removed by
/// <see cref="DeadCodeElimination"/>. An optional filter keeps chosen nodes (e.g. dequantization of weights that a
/// quantization pass wants to see).
/// </summary>
public sealed class ConstantFolding : IGraphPass
{
    private readonly Func<Node, bool>? _shouldFold;

    public ConstantFolding(Func<Node, bool>? shouldFold = null)
    {
        _shouldFold = shouldFold;
    }

    public Graph Run(Graph graph, PassContext context)
    {
        GraphBuilder builder = GraphBuilder.StartFrom(graph);
        foreach (Node node in graph.Nodes)
        {
            bool foldable = node.Inputs.Count > 0
                && node.Inputs.All(i => builder.ConstantOf(i) is not null)
                && OpEvaluator.Supports(node.Op)
                && (_shouldFold?.Invoke(node) ?? true);
            if (!foldable)
            {
                builder.CopyNode(graph, node);
                continue;
            }
            Tensor[] inputs = node.Inputs.Select(i => builder.ConstantOf(i)!).ToArray();
            TensorType[] outTypes = node.Outputs.Select(graph.TypeOf).ToArray();
            IReadOnlyList<Tensor> results;
            try
            {
                results = OpEvaluator.Evaluate(node.Op, inputs, outTypes);
            }
            catch (Exception e) when (e is GraphException or ArgumentException or InvalidOperationException or OverflowException)
            {
                throw new GraphException($"node '{node.Name}' ({node.Op.Kind}): cannot fold: {e.Message}", node.Name, e);
            }
            for (int i = 0; i < node.Outputs.Count; i++)
            {
                builder.AddConstant(node.Outputs[i], results[i]);
            }
        }
        foreach (string output in graph.Outputs)
        {
            builder.AddOutput(output);
        }
        return builder.Build();
    }
}
