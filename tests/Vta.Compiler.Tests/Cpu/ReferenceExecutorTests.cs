using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Cpu;

public class ReferenceExecutorTests
{
    private static Graph TwoNodes()
    {
        GraphBuilder b = new("two");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(1, 3)));
        b.AddConstant("k", Tensor.FromArray(new Shape(3), new[] { 1f, 2f, 3f }));
        b.AddNode("mul", new Mul(), ["x", "k"], "m");
        b.AddNode("soft", new Softmax(), ["m"], "s");
        b.AddOutput("s");
        b.AddOutput("m");
        return b.Build();
    }

    [Fact]
    public void ReturnsOutputsAndOptionallyEveryValue()
    {
        Dictionary<string, Tensor> feeds = new() { ["x"] = Tensor.FromArray(new Shape(1, 3), new[] { 1f, 1f, 1f }) };
        IReadOnlyDictionary<string, Tensor> outputs = ReferenceExecutor.Run(TwoNodes(), feeds);
        Assert.Equal(["s", "m"], outputs.Keys);
        Assert.Equal(new[] { 1f, 2f, 3f }, outputs["m"].As<float>());
        Assert.Equal(["k", "m", "s", "x"], ReferenceExecutor.RunAll(TwoNodes(), feeds).Keys.Order());
    }

    [Fact]
    public void RejectsMissingWrongAndUnknownInputs()
    {
        Graph g = TwoNodes();
        Assert.Contains("no value given for input 'x'", Assert.Throws<GraphException>(() => ReferenceExecutor.Run(g, new Dictionary<string, Tensor>())).Message);
        GraphException shape = Assert.Throws<GraphException>(() => ReferenceExecutor.Run(g, new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(new Shape(3), new float[3]) }));
        Assert.Contains("input 'x' is float32[3], expected float32[1,3]", shape.Message);
        GraphException extra = Assert.Throws<GraphException>(() => ReferenceExecutor.Run(g, new Dictionary<string, Tensor>
        {
            ["x"] = Tensor.FromArray(new Shape(1, 3), new float[3]),
            ["y"] = Tensor.FromArray(new Shape(1), new float[1]),
        }));
        Assert.Contains("no input named 'y'", extra.Message);
    }

    [Fact]
    public void KernelErrorsNameTheNode()
    {
        GraphBuilder b = new("bad");
        b.AddInput("x", new TensorType(DataType.Int8, new Shape(4)));
        b.AddNode("softmax_7", new Softmax(), ["x"], "y");
        b.AddOutput("y");
        GraphException e = Assert.Throws<GraphException>(() => ReferenceExecutor.Run(b.Build(), new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(new Shape(4), new sbyte[4]) }));
        Assert.Equal("softmax_7", e.NodeName);
        Assert.Contains("node 'softmax_7' (softmax)", e.Message);
    }
}
