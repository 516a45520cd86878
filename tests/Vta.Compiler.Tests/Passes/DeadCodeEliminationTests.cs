using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;
using static Vta.Compiler.Tests.Passes.PassTestGraphs;

namespace Vta.Compiler.Tests.Passes;

public class DeadCodeEliminationTests
{
    [Fact]
    public void RemovesWhatNoOutputNeedsButKeepsInputs()
    {
        GraphBuilder b = new("dce");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(3)));
        b.AddInput("unused_input", new TensorType(DataType.Float32, new Shape(3)));
        b.AddConstant("k", F(new Shape(3), 1, 2, 3));
        b.AddConstant("dead_k", F(new Shape(3), 4, 5, 6));
        b.AddNode("live", new Add(), ["x", "k"], "y");
        b.AddNode("dead1", new Mul(), ["x", "dead_k"], "d1");
        b.AddNode("dead2", new Relu(), ["d1"], "d2");
        b.AddNode("live2", new Relu(), ["y"], "z");
        b.AddOutput("z");
        Graph g = new DeadCodeElimination().Run(b.Build(), new PassContext());
        Assert.Equal(["live", "live2"], g.Nodes.Select(n => n.Name));
        Assert.Equal(["k"], g.Constants.Keys);
        Assert.Equal(["x", "unused_input"], g.Inputs);
        Assert.False(g.Types.ContainsKey("d2"));
    }

    [Fact]
    public void AfterFoldingRemovesTheSpentConstants()
    {
        GraphBuilder b = new("fold-then-dce");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(2)));
        b.AddConstant("a", F(new Shape(2), 1, 2));
        b.AddNode("neg", new Sub(), ["a", "a"], "zero");
        b.AddNode("add", new Add(), ["x", "zero"], "y");
        b.AddOutput("y");
        Graph g = new PassManager(new ConstantFolding(), new DeadCodeElimination()).Run(b.Build(), new PassContext());
        Assert.Equal(["zero"], g.Constants.Keys);
        Assert.Equal(["add"], g.Nodes.Select(n => n.Name));
    }
}
