using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Graphs;

public class GraphBuilderTests
{
    internal static Graph SmallConvNet()
    {
        GraphBuilder b = new("small");
        b.AddInput("data", new TensorType(DataType.Float32, new Shape(1, 3, 8, 8)));
        b.AddConstant("w", Tensor.FromArray(new Shape(4, 3, 3, 3), new float[108]));
        b.AddConstant("bias", Tensor.FromArray(new Shape(4), new float[4]));
        b.AddNode("conv", new Conv2d(new Size2d(2, 2), new Pads2d(1, 1, 1, 1), Size2d.One), ["data", "w", "bias"], "c");
        b.AddNode("relu", new Relu(), ["c"], "r");
        b.AddNode("pool", new GlobalAvgPool(), ["r"], "p");
        b.AddNode("flat", new Flatten(), ["p"], "f");
        b.AddOutput("f");
        return b.Build();
    }

    [Fact]
    public void InfersEveryValueTypeAndKeepsTopologicalOrder()
    {
        Graph g = SmallConvNet();
        Assert.Equal(new Shape(1, 4, 4, 4), g.TypeOf("c").Shape);
        Assert.Equal(new Shape(1, 4, 1, 1), g.TypeOf("p").Shape);
        Assert.Equal(new Shape(1, 4), g.TypeOf("f").Shape);
        Assert.Equal(["conv", "relu", "pool", "flat"], g.Nodes.Select(n => n.Name));
        Assert.Equal("conv", g.ProducerOf("c")!.Name);
        Assert.Null(g.ProducerOf("w"));
        Assert.Equal(["conv"], g.ConsumersOf("data").Select(n => n.Name));
        Assert.True(g.IsConstant("w"));
        Assert.False(g.IsConstant("data"));
        Assert.Equal(["data"], g.Inputs);
        Assert.Equal(["f"], g.Outputs);
    }

    [Fact]
    public void PrintsOneLinePerItem()
    {
        string text = SmallConvNet().ToText();
        string[] expected =
        [
            "graph small",
            "  input  data: float32[1,3,8,8]",
            "  const  bias: float32[4]",
            "  const  w: float32[4,3,3,3]",
            "  node   conv = conv2d[strides=2x2 pads=1,1,1,1 dilations=1x1 groups=1 act=none layout=NCHW kernel=OIHW](data, w, bias) -> c: float32[1,4,4,4]",
            "  node   relu = relu(c) -> r: float32[1,4,4,4]",
            "  node   pool = global_avg_pool2d[layout=NCHW](r) -> p: float32[1,4,1,1]",
            "  node   flat = flatten[axis=1](p) -> f: float32[1,4]",
            "  output f",
            string.Empty,
        ];
        Assert.Equal(string.Join("\n", expected), text);
        Assert.Contains("(2 constants)", SmallConvNet().ToText(includeConstants: false));
    }

    [Fact]
    public void ShapeErrorsNameTheNodeTheOpAndTheInputs()
    {
        GraphBuilder b = new("bad");
        b.AddInput("data", new TensorType(DataType.Float32, new Shape(1, 3, 8, 8)));
        b.AddConstant("w", Tensor.FromArray(new Shape(4, 5, 3, 3), new float[180]));
        GraphException e = Assert.Throws<GraphException>(() => b.AddNode("conv1", new Conv2d(Size2d.One, Pads2d.Zero, Size2d.One), ["data", "w"], "c"));
        Assert.Equal("conv1", e.NodeName);
        Assert.Contains("node 'conv1' (conv2d)", e.Message);
        Assert.Contains("float32[1,3,8,8]", e.Message);
        Assert.Contains("need 5 input channels, data has 3", e.Message);
        // The failed node left nothing behind: the name can be used again.
        b.AddConstant("w2", Tensor.FromArray(new Shape(4, 3, 3, 3), new float[108]));
        b.AddNode("conv1", new Conv2d(Size2d.One, Pads2d.Zero, Size2d.One), ["data", "w2"], "c");
        Assert.Equal(new Shape(1, 4, 6, 6), b.TypeOf("c").Shape);
    }

    [Fact]
    public void UndefinedInputsAndDuplicatesAreRejected()
    {
        GraphBuilder b = new("bad");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(2)));
        Assert.Contains("input 0 'nope' is not defined", Assert.Throws<GraphException>(() => b.AddNode("n", new Relu(), ["nope"], "y")).Message);
        b.AddNode("n", new Relu(), ["x"], "y");
        Assert.Contains("already exists", Assert.Throws<GraphException>(() => b.AddNode("n", new Relu(), ["x"], "z")).Message);
        Assert.Contains("'y' is defined twice", Assert.Throws<GraphException>(() => b.AddNode("m", new Relu(), ["x"], "y")).Message);
        Assert.Throws<GraphException>(() => b.AddInput("x", new TensorType(DataType.Float32, new Shape(2))));
        Assert.Throws<GraphException>(() => b.AddOutput("missing"));
        Assert.Contains("no outputs", Assert.Throws<GraphException>(b.Build).Message);
    }

    [Fact]
    public void DeclaredQuantizationReplacesTheInferredOne()
    {
        Quantization q = Quantization.PerTensor(0.5f, 3);
        GraphBuilder b = new("q");
        b.AddInput("x", new TensorType(DataType.Int8, new Shape(1, 4), Quantization.PerTensor(0.25f, 0)));
        TensorType relu = b.AddNode("relu", new Relu(), ["x"], "r");
        Assert.Equal(Quantization.PerTensor(0.25f, 0), relu.Quant); // passes through
        TensorType add = b.AddNode("add", new Add(), ["x", "r"], "a", q);
        Assert.Equal(q, add.Quant);
        b.AddOutput("a");
        Graph g = b.Build();
        GraphBuilder copy = GraphBuilder.StartFrom(g);
        foreach (Node n in g.Nodes)
        {
            copy.CopyNode(g, n);
        }
        copy.AddOutput("a");
        Assert.Equal(g.ToText(), copy.Build().ToText());
    }

    [Fact]
    public void UniqueNamesAvoidClashes()
    {
        GraphBuilder b = new("names");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(1)));
        b.AddNode("x", new Relu(), ["x"], "x_1");
        Assert.Equal("x_2", b.UniqueValueName("x"));
        Assert.Equal("x_1", b.UniqueNodeName("x"));
        Assert.Equal("fresh", b.UniqueValueName("fresh"));
    }
}
