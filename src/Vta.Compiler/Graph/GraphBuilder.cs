namespace Vta.Compiler.Graphs;

/// <summary>
/// Builds a <see cref="Graph"/> in topological order: inputs and constants first, then nodes whose inputs
/// are already defined. Each node's output types are inferred as it is added (errors name the node);
/// an output's quantization can be declared, since quantized ops take it from the model, not from inference.
/// </summary>
public sealed class GraphBuilder
{
    private readonly List<string> _inputs = [];
    private readonly List<string> _outputs = [];
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, Tensor> _constants = [];
    private readonly Dictionary<string, TensorType> _types = [];
    private readonly HashSet<string> _nodeNames = [];

    public GraphBuilder(string name)
    {
        Name = name;
    }

    public string Name { get; set; }

    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>A builder with the graph's name, inputs and (optionally) all its constants, but no nodes or outputs.</summary>
    public static GraphBuilder StartFrom(Graph graph, bool withConstants = true)
    {
        GraphBuilder b = new(graph.Name);
        foreach (string input in graph.Inputs)
        {
            b.AddInput(input, graph.TypeOf(input));
        }
        if (withConstants)
        {
            foreach ((string name, Tensor value) in graph.Constants)
            {
                b.AddConstant(name, value);
            }
        }
        return b;
    }

    public bool Contains(string value) => _types.ContainsKey(value);

    public TensorType TypeOf(string value) =>
        _types.TryGetValue(value, out TensorType? t) ? t : throw new GraphException($"value '{value}' is not defined");

    public Tensor? ConstantOf(string value) => _constants.GetValueOrDefault(value);

    public void AddInput(string name, TensorType type)
    {
        Define(name, type);
        _inputs.Add(name);
    }

    public void AddConstant(string name, Tensor value)
    {
        Define(name, value.Type);
        _constants[name] = value;
    }

    /// <summary>Adds a single-output node and returns the output's type.</summary>
    public TensorType AddNode(string name, Op op, IReadOnlyList<string> inputs, string output, Quantization? outputQuant = null) =>
        AddNode(name, op, inputs, [output], outputQuant is null ? null : [outputQuant])[0];

    /// <summary>
    /// Adds a node after inferring its output types. <paramref name="outputQuant"/>, where given and not null,
    /// replaces the inferred quantization of the matching output.
    /// </summary>
    public IReadOnlyList<TensorType> AddNode(string name, Op op, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<Quantization?>? outputQuant = null)
    {
        if (!_nodeNames.Add(name))
        {
            throw new GraphException($"node '{name}' ({op.Kind}): a node of that name already exists", name);
        }
        foreach (string output in outputs)
        {
            if (_types.ContainsKey(output) || outputs.Count(o => o == output) > 1)
            {
                _nodeNames.Remove(name);
                throw new GraphException($"node '{name}' ({op.Kind}): value '{output}' is defined twice", name);
            }
        }
        TensorType[] inputTypes = new TensorType[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            if (!_types.TryGetValue(inputs[i], out TensorType? t))
            {
                _nodeNames.Remove(name);
                throw new GraphException($"node '{name}' ({op.Kind}): input {i} '{inputs[i]}' is not defined before the node", name);
            }
            inputTypes[i] = t;
        }
        IReadOnlyList<TensorType> inferred;
        try
        {
            inferred = op.InferOutputs(inputTypes);
        }
        catch (Exception e) when (e is GraphException or ArgumentException or InvalidOperationException)
        {
            _nodeNames.Remove(name);
            string shapes = string.Join(", ", inputTypes.Select(t => t.DType.Name() + t.Shape));
            throw new GraphException($"node '{name}' ({op.Kind}) on ({shapes}): {e.Message}", name, e);
        }
        if (inferred.Count != outputs.Count)
        {
            _nodeNames.Remove(name);
            throw new GraphException($"node '{name}' ({op.Kind}): {outputs.Count} output names for {inferred.Count} outputs", name);
        }
        TensorType[] types = new TensorType[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            Quantization? declared = outputQuant is not null && i < outputQuant.Count ? outputQuant[i] : null;
            types[i] = declared is null ? inferred[i] : inferred[i].WithQuant(declared);
        }
        Node node = new(name, op, inputs, outputs);
        for (int i = 0; i < outputs.Count; i++)
        {
            Define(outputs[i], types[i], node.Name);
        }
        _nodes.Add(node);
        return types;
    }

    /// <summary>Copies a node of another graph, keeping the quantization its outputs have there.</summary>
    public IReadOnlyList<TensorType> CopyNode(Graph source, Node node) =>
        AddNode(node.Name, node.Op, node.Inputs, node.Outputs, node.Outputs.Select(o => source.TypeOf(o).Quant).ToArray());

    public void AddOutput(string name)
    {
        if (!_types.ContainsKey(name))
        {
            throw new GraphException($"graph output '{name}' is not defined");
        }
        _outputs.Add(name);
    }

    /// <summary>A value name not yet used, derived from <paramref name="hint"/>.</summary>
    public string UniqueValueName(string hint)
    {
        if (!_types.ContainsKey(hint))
        {
            return hint;
        }
        for (int i = 1; ; i++)
        {
            string candidate = $"{hint}_{i}";
            if (!_types.ContainsKey(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>A node name not yet used, derived from <paramref name="hint"/>.</summary>
    public string UniqueNodeName(string hint)
    {
        if (!_nodeNames.Contains(hint))
        {
            return hint;
        }
        for (int i = 1; ; i++)
        {
            string candidate = $"{hint}_{i}";
            if (!_nodeNames.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    public Graph Build()
    {
        if (_outputs.Count == 0)
        {
            throw new GraphException($"graph '{Name}' has no outputs");
        }
        return new Graph(Name, _inputs.ToArray(), _outputs.ToArray(), _nodes.ToArray(),
            new Dictionary<string, Tensor>(_constants), new Dictionary<string, TensorType>(_types));
    }

    private void Define(string name, TensorType type, string? nodeName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_types.TryAdd(name, type))
        {
            string where = nodeName is null ? string.Empty : $"node '{nodeName}': ";
            throw new GraphException($"{where}value '{name}' is defined twice", nodeName);
        }
    }
}
