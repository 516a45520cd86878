using System.Text;

namespace Vta.Compiler.Graphs;

/// <summary>
/// Readable graph text, one line per item:
/// <code>
/// input  data: float32[1,3,224,224]
/// const  w0: float32[64,3,7,7]
/// node   conv0 = conv2d[strides=2x2 ...](data, w0) -> c0: float32[1,64,112,112]
/// output c0
/// </code>
/// </summary>
public static class GraphPrinter
{
    public static string Print(Graph graph, bool includeConstants = true)
    {
        StringBuilder sb = new();
        sb.Append("graph ").Append(graph.Name).Append('\n');
        foreach (string input in graph.Inputs)
        {
            sb.Append("  input  ").Append(input).Append(": ").Append(graph.TypeOf(input)).Append('\n');
        }
        if (includeConstants)
        {
            foreach ((string name, Tensor value) in graph.Constants.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                sb.Append("  const  ").Append(name).Append(": ").Append(value.Type).Append('\n');
            }
        }
        else
        {
            sb.Append("  (").Append(graph.Constants.Count).Append(" constants)\n");
        }
        foreach (Node node in graph.Nodes)
        {
            sb.Append("  node   ").Append(FormatNode(graph, node)).Append('\n');
        }
        foreach (string output in graph.Outputs)
        {
            sb.Append("  output ").Append(output).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>One node: name = op[attributes](inputs) -> output: type, ...</summary>
    public static string FormatNode(Graph graph, Node node)
    {
        string attributes = node.Op.FormatAttributes();
        string outputs = string.Join(", ", node.Outputs.Select(o => $"{o}: {graph.TypeOf(o)}"));
        return $"{node.Name} = {node.Op.Kind}{(attributes.Length == 0 ? string.Empty : "[" + attributes + "]")}({string.Join(", ", node.Inputs)}) -> {outputs}";
    }
}
