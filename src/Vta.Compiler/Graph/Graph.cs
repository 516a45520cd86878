namespace Vta.Compiler.Graphs;

/// <summary>
/// An immutable dataflow graph: named inputs, constants and nodes in topological order, every value with
/// an inferred <see cref="TensorType"/>, and named outputs. Build one with <see cref="GraphBuilder"/>;
/// passes build a new graph rather than changing one.
/// </summary>
public sealed class Graph
{
    private readonly Dictionary<string, Node> _producers = [];
    private readonly Dictionary<string, List<Node>> _consumers = [];
    private readonly Dictionary<string, Node> _nodesByName = [];

    internal Graph(
        string name,
        IReadOnlyList<string> inputs,
        IReadOnlyList<string> outputs,
        IReadOnlyList<Node> nodes,
        IReadOnlyDictionary<string, Tensor> constants,
        IReadOnlyDictionary<string, TensorType> types)
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Nodes = nodes;
        Constants = constants;
        Types = types;
        foreach (Node node in nodes)
        {
            _nodesByName[node.Name] = node;
            foreach (string output in node.Outputs)
            {
                _producers[output] = node;
            }
            foreach (string input in node.Inputs.Distinct())
            {
                if (!_consumers.TryGetValue(input, out List<Node>? list))
                {
                    _consumers[input] = list = [];
                }
                list.Add(node);
            }
        }
    }

    public string Name { get; }

    /// <summary>Names of the values fed by the caller, in order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Names of the values the graph produces, in order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>All nodes in a topological order (every input is defined before it is used).</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>Constant values (weights, biases, shapes) by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Constants { get; }

    /// <summary>The type of every value: inputs, constants and node outputs.</summary>
    public IReadOnlyDictionary<string, TensorType> Types { get; }

    public TensorType TypeOf(string value) =>
        Types.TryGetValue(value, out TensorType? t) ? t : throw new GraphException($"graph '{Name}' has no value named '{value}'");

    public bool IsConstant(string value) => Constants.ContainsKey(value);

    public Tensor? ConstantOf(string value) => Constants.GetValueOrDefault(value);

    /// <summary>The node that defines a value, or null for inputs and constants.</summary>
    public Node? ProducerOf(string value) => _producers.GetValueOrDefault(value);

    /// <summary>The nodes that read a value (each once, in topological order).</summary>
    public IReadOnlyList<Node> ConsumersOf(string value) =>
        _consumers.TryGetValue(value, out List<Node>? list) ? list : [];

    public Node GetNode(string name) =>
        _nodesByName.TryGetValue(name, out Node? n) ? n : throw new GraphException($"graph '{Name}' has no node named '{name}'");

    /// <summary>Readable text, one line per input, constant, node and output (see <see cref="GraphPrinter"/>).</summary>
    public string ToText(bool includeConstants = true) => GraphPrinter.Print(this, includeConstants);

    public override string ToString() => $"graph '{Name}': {Inputs.Count} inputs, {Constants.Count} constants, {Nodes.Count} nodes, {Outputs.Count} outputs";
}
