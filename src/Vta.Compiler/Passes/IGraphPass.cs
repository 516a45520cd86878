using Vta.Compiler.Graphs;

namespace Vta.Compiler.Passes;

/// <summary>A graph-to-graph transformation. Passes never change their input graph; they return a new one.</summary>
public interface IGraphPass
{
    Graph Run(Graph graph, PassContext context);
}
