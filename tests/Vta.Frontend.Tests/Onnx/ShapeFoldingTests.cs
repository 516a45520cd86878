using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx;
using Vta.Frontend.Onnx.Proto;
using static Vta.Frontend.Tests.Onnx.OnnxModelBuilder;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>Shape computations on static shapes are folded at import: no node of theirs reaches the graph.</summary>
public class ShapeFoldingTests
{
    /// <summary>PyTorch's x.reshape(x.shape[0], -1): Shape -> Gather -> Unsqueeze -> Concat -> Reshape.</summary>
    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void ShapeGatherUnsqueezeConcatFeedsAStaticReshape(int opset)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(opset).Input("x", DataType.Float32, 3, 4, 2, 2).Output("y", DataType.Float32)
            .InitInt64("minus_one", -1).Init("zero", Tensor.FromArray(Shape.Scalar, [0L]))
            .Node("Relu", ["x"], ["r"])
            .Node("Shape", ["r"], ["s"])
            .Node("Gather", ["s", "zero"], ["n"], Int("axis", 0));
        if (opset < 13)
        {
            m.Node("Unsqueeze", ["n"], ["n1"], Ints("axes", 0));
        }
        else
        {
            m.InitInt64("axes", 0).Node("Unsqueeze", ["n", "axes"], ["n1"]);
        }
        m.Node("Concat", ["n1", "minus_one"], ["shape"], Int("axis", 0)).Node("Reshape", ["r", "shape"], ["y"]);
        OrtAssert.Matches(m, "x", Ort.RandomFloats(1, 3, 4, 2, 2), tolerance: 0);
        Graph g = OnnxImporter.Import(m.Build(), "chain.onnx");
        Assert.Equal(["relu", "reshape"], g.Nodes.Select(n => n.Op.Kind));
        Assert.Equal(new Reshape(new Shape(3, 16)), g.Nodes[1].Op);
        Assert.Empty(g.Constants);
    }

    [Fact]
    public void ConstantCastAndSqueezeFold()
    {
        OnnxModelBuilder m = new OnnxModelBuilder(13).Input("x", DataType.Float32, 2, 1, 6).Output("y", DataType.Float32)
            .InitInt64("sq", 1)
            .Node("Constant", [], ["target"], new AttributeProto
            {
                Name = "value", Type = AttributeProto.Types.AttributeType.Tensor,
                T = Vta.Frontend.Onnx.OnnxTensors.ToProto("target", Tensor.FromArray(new Shape(2), [3f, 4f])),
            })
            .Node("Cast", ["target"], ["target64"], Int("to", 7))
            .Node("Squeeze", ["x", "sq"], ["x2"])
            .Node("Reshape", ["x2", "target64"], ["y"]);
        Tensor y = OrtAssert.Matches(m, "x", Ort.RandomFloats(2, 2, 1, 6), tolerance: 0)[0];
        Assert.Equal(new Shape(3, 4), y.Shape);
        Graph g = OnnxImporter.Import(m.Build(), "fold.onnx");
        Assert.Equal(["reshape", "reshape"], g.Nodes.Select(n => n.Op.Kind));
    }

    [Fact]
    public void GatherOfAConstantMatrix()
    {
        OnnxModelBuilder m = new OnnxModelBuilder(13).Input("x", DataType.Float32, 2, 3).Output("y", DataType.Float32)
            .Init("table", Ort.RandomFloats(3, 4, 3)).InitInt64("rows", 3, 0)
            .Node("Gather", ["table", "rows"], ["picked"], Int("axis", 0))
            .Node("Add", ["x", "picked"], ["y"]);
        OrtAssert.Matches(m, "x", Ort.RandomFloats(4, 2, 3), tolerance: 0);
    }
}
