using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>
/// Runs a <see cref="Graph"/> on the host, node by node in topological order, with plain managed kernels.
/// It is the reference other execution paths are checked against: quantized graphs follow TFLite's integer
/// reference arithmetic (int32 accumulation, fixed-point requantization), so results are bit-exact and
/// deterministic. Errors name the node.
/// </summary>
public static class ReferenceExecutor
{
    /// <summary>Runs the graph and returns its outputs by name.</summary>
    public static IReadOnlyDictionary<string, Tensor> Run(Graph graph, IReadOnlyDictionary<string, Tensor> inputs)
    {
        Dictionary<string, Tensor> values = RunAll(graph, inputs);
        return graph.Outputs.ToDictionary(o => o, o => values[o]);
    }

    /// <summary>Runs the graph and returns every value (inputs, constants, intermediates), for per-layer comparison.</summary>
    public static Dictionary<string, Tensor> RunAll(Graph graph, IReadOnlyDictionary<string, Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        Dictionary<string, Tensor> values = new(graph.Constants);
        foreach (string name in graph.Inputs)
        {
            if (!inputs.TryGetValue(name, out Tensor? value))
            {
                throw new GraphException($"graph '{graph.Name}': no value given for input '{name}' ({graph.TypeOf(name)})");
            }
            TensorType expected = graph.TypeOf(name);
            if (value.DType != expected.DType || value.Shape != expected.Shape)
            {
                throw new GraphException($"graph '{graph.Name}': input '{name}' is {value.DType.Name()}{value.Shape}, expected {expected.DType.Name()}{expected.Shape}");
            }
            // The graph's quantization parameters govern, whatever the caller's tensor carries.
            values[name] = value.Quant == expected.Quant ? value : new Tensor(expected, value.Data);
        }
        foreach (string name in inputs.Keys)
        {
            if (!graph.Inputs.Contains(name))
            {
                throw new GraphException($"graph '{graph.Name}' has no input named '{name}' (inputs: {string.Join(", ", graph.Inputs)})");
            }
        }
        foreach (Node node in graph.Nodes)
        {
            Tensor[] args = node.Inputs.Select(i => values[i]).ToArray();
            TensorType[] outTypes = node.Outputs.Select(graph.TypeOf).ToArray();
            IReadOnlyList<Tensor> results;
            try
            {
                results = OpEvaluator.Evaluate(node.Op, args, outTypes);
            }
            catch (Exception e) when (e is GraphException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
            {
                throw new GraphException($"node '{node.Name}' ({node.Op.Kind}): {e.Message}", node.Name, e);
            }
            for (int i = 0; i < node.Outputs.Count; i++)
            {
                values[node.Outputs[i]] = results[i];
            }
        }
        return values;
    }
}
