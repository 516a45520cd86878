namespace Vta.Compiler.Graphs;

/// <summary>
/// One operation of a <see cref="Graph"/>: a unique name, the op (with its attributes), the names of the
/// values it reads and of the values it defines. Values are named strings; their types live in the graph.
/// </summary>
public sealed class Node
{
    public Node(string name, Op op, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(op);
        Name = name;
        Op = op;
        Inputs = inputs.ToArray();
        Outputs = outputs.ToArray();
        if (Outputs.Count == 0)
        {
            throw new GraphException($"node '{name}' ({op.Kind}) defines no output", name);
        }
    }

    public string Name { get; }

    public Op Op { get; }

    public IReadOnlyList<string> Inputs { get; }

    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The first (usually only) output.</summary>
    public string Output => Outputs[0];

    public override string ToString() => $"{Name}: {Op.Kind}({string.Join(", ", Inputs)}) -> {string.Join(", ", Outputs)}";
}
