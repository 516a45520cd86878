using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;
using static Vta.Compiler.Tests.Passes.PassTestGraphs;

namespace Vta.Compiler.Tests.Passes;

public class ConstantFoldingTests
{
    /// <summary>x * (a + b) followed by reshape of a constant that nothing uses.</summary>
    private static Graph Sample()
    {
        GraphBuilder b = new("fold");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(2, 2)));
        b.AddConstant("a", F(new Shape(2), 1, 2));
        b.AddConstant("b", F(new Shape(2), 10, 20));
        b.AddNode("sum", new Add(), ["a", "b"], "ab");
        b.AddNode("scale", new Mul(), ["x", "ab"], "y");
        b.AddNode("unused", new Reshape(new Shape(2, 1)), ["a"], "a2");
        b.AddOutput("y");
        return b.Build();
    }

    [Fact]
    public void EvaluatesNodesWithConstantInputs()
    {
        Graph folded = new ConstantFolding().Run(Sample(), new PassContext());
        Assert.Equal(["scale"], folded.Nodes.Select(n => n.Name));
        Assert.Equal(new[] { 11f, 22f }, folded.Constants["ab"].As<float>());
        Assert.Equal(new Shape(2, 1), folded.Constants["a2"].Shape);
        Tensor x = F(new Shape(2, 2), 1, 2, 3, 4);
        Assert.Equal(RunSingle(Sample(), x), RunSingle(folded, x));
        Assert.Equal(new[] { 11f, 44f, 33f, 88f }, RunSingle(folded, x));
    }

    [Fact]
    public void KeepsQuantizationOfFoldedValues()
    {
        GraphBuilder b = new("q");
        b.AddInput("x", new TensorType(DataType.Int8, new Shape(2), Quantization.PerTensor(0.5f, 0)));
        b.AddConstant("w", F(new Shape(2), 1, -1));
        b.AddNode("quantize_w", new Quantize(DataType.Int8), ["w"], "wq", Quantization.PerTensor(0.25f, 0));
        b.AddNode("add", new Add(), ["x", "wq"], "y", Quantization.PerTensor(0.5f, 0));
        b.AddOutput("y");
        Graph folded = new ConstantFolding().Run(b.Build(), new PassContext());
        Tensor wq = folded.Constants["wq"];
        Assert.Equal(new sbyte[] { 4, -4 }, wq.As<sbyte>());
        Assert.Equal(Quantization.PerTensor(0.25f, 0), wq.Quant);

        Graph kept = new ConstantFolding(n => n.Op is not Quantize).Run(b.Build(), new PassContext());
        Assert.Equal(["quantize_w", "add"], kept.Nodes.Select(n => n.Name));
    }
}
