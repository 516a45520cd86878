namespace Vta.Compiler.Graphs;

/// <summary>
/// A graph is malformed or an op cannot be applied to its inputs. The message names the node (and the
/// op) when one is involved; <see cref="NodeName"/> carries it for callers.
/// </summary>
public class GraphException : Exception
{
    public GraphException()
    {
    }

    public GraphException(string message)
        : base(message)
    {
    }

    public GraphException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GraphException(string message, string? nodeName, Exception? innerException = null)
        : base(message, innerException)
    {
        NodeName = nodeName;
    }

    public string? NodeName { get; }
}
