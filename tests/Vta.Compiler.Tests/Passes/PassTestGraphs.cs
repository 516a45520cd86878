using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Passes;

internal static class PassTestGraphs
{
    public static Tensor F(Shape shape, params float[] values) => Tensor.FromArray(shape, values);

    public static float[] RunSingle(Graph graph, Tensor input) =>
        ReferenceExecutor.Run(graph, new Dictionary<string, Tensor> { [graph.Inputs[0]] = input })[graph.Outputs[0]].As<float>();

    public static Tensor RandomInput(Shape shape, int seed)
    {
        Random random = new(seed);
        return F(shape, Enumerable.Range(0, shape.ElementCount).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
    }
}
