using Vta.Compiler.Graphs;

namespace Vta.Compiler.Passes;

/// <summary>Removes nodes and constants that no graph output depends on. Graph inputs always stay.</summary>
public sealed class DeadCodeElimination : IGraphPass
{
    public Graph Run(Graph graph, PassContext context)
    {
        HashSet<string> live = [.. graph.Outputs];
        HashSet<Node> liveNodes = [];
        for (int i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            Node node = graph.Nodes[i];
            if (node.Outputs.Any(live.Contains))
            {
                liveNodes.Add(node);
                live.UnionWith(node.Inputs);
            }
        }
        GraphBuilder builder = GraphBuilder.StartFrom(graph, withConstants: false);
        foreach ((string name, Tensor value) in graph.Constants)
        {
            if (live.Contains(name))
            {
                builder.AddConstant(name, value);
            }
        }
        foreach (Node node in graph.Nodes.Where(liveNodes.Contains))
        {
            builder.CopyNode(graph, node);
        }
        foreach (string output in graph.Outputs)
        {
            builder.AddOutput(output);
        }
        return builder.Build();
    }
}
