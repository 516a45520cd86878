using Vta.Compiler.Graphs;

namespace Vta.Compiler.Passes;

/// <summary>Runs an ordered list of passes, recording the graph after each one through the <see cref="PassContext"/>.</summary>
public sealed class PassManager
{
    public PassManager(IEnumerable<IGraphPass> passes)
    {
        Passes = passes.ToArray();
    }

    public PassManager(params IGraphPass[] passes)
        : this((IEnumerable<IGraphPass>)passes)
    {
    }

    public IReadOnlyList<IGraphPass> Passes { get; }

    public Graph Run(Graph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        context.Record("input", graph);
        foreach (IGraphPass pass in Passes)
        {
            try
            {
                graph = pass.Run(graph, context);
            }
            catch (GraphException e)
            {
                throw new GraphException($"pass {NameOf(pass)}: {e.Message}", e.NodeName, e);
            }
            context.Record(NameOf(pass), graph);
        }
        return graph;
    }

    /// <summary>A pass's name as recorded: its type name.</summary>
    public static string NameOf(IGraphPass pass) => pass.GetType().Name;
}
