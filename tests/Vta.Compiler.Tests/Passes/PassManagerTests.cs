using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;
using static Vta.Compiler.Tests.Passes.PassTestGraphs;

namespace Vta.Compiler.Tests.Passes;

public class PassManagerTests
{
    private static Graph Sample()
    {
        GraphBuilder b = new("pm");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(2)));
        b.AddConstant("a", F(new Shape(2), 1, 2));
        b.AddNode("double", new Add(), ["a", "a"], "a2");
        b.AddNode("add", new Add(), ["x", "a2"], "y");
        b.AddOutput("y");
        return b.Build();
    }

    [Fact]
    public void RecordsTheGraphTextAfterEachPass()
    {
        PassContext context = new(recordSteps: true, includeConstantsInText: true);
        Graph result = new PassManager(new ConstantFolding(), new DeadCodeElimination()).Run(Sample(), context);

        Assert.Equal(["input", "ConstantFolding", "DeadCodeElimination"], context.Steps.Select(s => s.PassName));
        Assert.Equal(Sample().ToText(), context.Steps[0].GraphText);
        Assert.Contains("node   double", context.Steps[0].GraphText);
        Assert.DoesNotContain("node   double", context.Steps[1].GraphText);
        Assert.Contains("const  a:", context.Steps[1].GraphText);
        Assert.DoesNotContain("const  a:", context.Steps[2].GraphText);
        Assert.Equal(result.ToText(), context.Steps[2].GraphText);
    }

    [Fact]
    public void PrintsAfterEachPassWhenAsked()
    {
        StringWriter writer = new();
        PassContext context = new(options: new Dictionary<string, string> { ["level"] = "3" }, printAfterEachPass: writer);
        new PassManager(new DeadCodeElimination()).Run(Sample(), context);
        string text = writer.ToString();
        Assert.Contains("// after input", text);
        Assert.Contains("// after DeadCodeElimination", text);
        Assert.Contains("(1 constants)", text);
        Assert.Empty(context.Steps);
        Assert.Equal("3", context.GetOption("level", "0"));
        Assert.Equal("x", context.GetOption("missing", "x"));
    }

    [Fact]
    public void PassErrorsNameThePass()
    {
        GraphException e = Assert.Throws<GraphException>(() => new PassManager(new FailingPass()).Run(Sample(), new PassContext()));
        Assert.StartsWith("pass FailingPass: ", e.Message);
    }

    private sealed class FailingPass : IGraphPass
    {
        public Graph Run(Graph graph, PassContext context) => throw new GraphException("broken");
    }
}
