using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx.Proto;
using static Vta.Frontend.Tests.Onnx.OnnxModelBuilder;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>Each float ONNX operator (and its attribute and input forms across opsets) on a tiny model, against ONNX Runtime.</summary>
public class FloatOperatorTests
{
    [Fact]
    public void ConvWithBiasStridesPadsDilationsAndGroups()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 4, 9, 9).Output("y", DataType.Float32)
            .Init("w", Ort.RandomFloats(1, 6, 2, 3, 3)).Init("b", Ort.RandomFloats(2, 6))
            .Node("Conv", ["x", "w", "b"], ["y"], Ints("strides", 2, 1), Ints("pads", 1, 0, 2, 1), Ints("dilations", 1, 2), Int("group", 2));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(3, 1, 4, 9, 9));
    }

    [Theory]
    [InlineData("SAME_UPPER", 3)]
    [InlineData("SAME_UPPER", 4)]
    [InlineData("SAME_LOWER", 4)]
    [InlineData("VALID", 3)]
    public void ConvAutoPad(string autoPad, int kernel)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(11).Input("x", DataType.Float32, 1, 3, 8, 7).Output("y", DataType.Float32)
            .Init("w", Ort.RandomFloats(4, 5, 3, kernel, kernel))
            .Node("Conv", ["x", "w"], ["y"], Ints("strides", 2, 2), Str("auto_pad", autoPad));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(5, 1, 3, 8, 7));
    }

    [Fact]
    public void DepthwiseConv()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 2, 4, 6, 6).Output("y", DataType.Float32)
            .Init("w", Ort.RandomFloats(6, 4, 1, 3, 3))
            .Node("Conv", ["x", "w"], ["y"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1), Int("group", 4));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(7, 2, 4, 6, 6));
    }

    [Theory]
    [InlineData(1, 1f, 1f, new[] { 3 })]
    [InlineData(0, 0.5f, 2f, new[] { 1, 3 })]
    [InlineData(0, 1f, 1f, new[] { 2, 3 })]
    [InlineData(1, 2f, 0.5f, new int[0])]
    [InlineData(1, 1f, 1f, null)]
    public void Gemm(int transB, float alpha, float beta, int[]? cShape)
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("a", DataType.Float32, 2, 5).Output("y", DataType.Float32)
            .Init("b", transB == 1 ? Ort.RandomFloats(8, 3, 5) : Ort.RandomFloats(8, 5, 3));
        List<string> inputs = ["a", "b"];
        if (cShape is not null)
        {
            m.Init("c", Ort.RandomFloats(9, cShape));
            inputs.Add("c");
        }
        m.Node("Gemm", [.. inputs], ["y"], Int("transB", transB), Float("alpha", alpha), Float("beta", beta));
        OrtAssert.Matches(m, "a", Ort.RandomFloats(10, 2, 5));
    }

    [Fact]
    public void GemmWithComputedWeightsAndBias()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("a", DataType.Float32, 2, 5).Input("b", DataType.Float32, 5, 3)
            .Input("c", DataType.Float32, 3).Output("y", DataType.Float32)
            .Node("Gemm", ["a", "b", "c"], ["y"]);
        OrtAssert.Matches(m, new Dictionary<string, Tensor>
        {
            ["a"] = Ort.RandomFloats(11, 2, 5), ["b"] = Ort.RandomFloats(12, 5, 3), ["c"] = Ort.RandomFloats(13, 3),
        });
    }

    [Fact]
    public void MatMulOfABatchByAMatrix()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("a", DataType.Float32, 2, 3, 4).Output("y", DataType.Float32)
            .Init("b", Ort.RandomFloats(14, 4, 5)).Node("MatMul", ["a", "b"], ["y"]);
        OrtAssert.Matches(m, "a", Ort.RandomFloats(15, 2, 3, 4));
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    public void BinaryOpsBroadcast(string op)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(7).Input("x", DataType.Float32, 1, 3, 4, 4).Input("z", DataType.Float32, 4)
            .Output("y", DataType.Float32).Init("c", Ort.RandomFloats(16, 3, 1, 1))
            .Node(op, ["x", "c"], ["t"]).Node(op, ["t", "z"], ["y"]);
        OrtAssert.Matches(m, new Dictionary<string, Tensor> { ["x"] = Ort.RandomFloats(17, 1, 3, 4, 4), ["z"] = Ort.RandomFloats(18, 4) });
    }

    [Fact]
    public void ReluAndIdentity()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 3, 7).Output("y", DataType.Float32)
            .Node("Identity", ["x"], ["i"]).Node("Relu", ["i"], ["r"]).Node("Dropout", ["r"], ["y"]);
        OrtAssert.Matches(m, "x", Ort.RandomFloats(19, 3, 7), tolerance: 0);
    }

    [Fact]
    public void ClipWithAttributes()
    {
        OnnxModelBuilder m = new OnnxModelBuilder(10).Input("x", DataType.Float32, 4, 5).Output("y", DataType.Float32)
            .Node("Clip", ["x"], ["y"], Float("min", -0.5f), Float("max", 0.7f));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(20, 4, 5), tolerance: 0);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ClipWithInputs(bool min, bool max)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(13).Input("x", DataType.Float32, 4, 5).Output("y", DataType.Float32)
            .Init("lo", -0.25f).Init("hi", 6f / 8);
        m.Node("Clip", ["x", min ? "lo" : string.Empty, max ? "hi" : string.Empty], ["y"]);
        OrtAssert.Matches(m, "x", Ort.RandomFloats(21, 4, 5), tolerance: 0);
    }

    [Theory]
    [InlineData(0, "NOTSET")]
    [InlineData(1, "NOTSET")]
    [InlineData(0, "SAME_UPPER")]
    public void MaxPool(int ceil, string autoPad)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(12).Input("x", DataType.Float32, 1, 2, 8, 9).Output("y", DataType.Float32);
        List<AttributeProto> a = [Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Int("ceil_mode", ceil), Str("auto_pad", autoPad)];
        if (autoPad == "NOTSET")
        {
            a.Add(Ints("pads", 1, 0, 1, 1));
        }
        m.Node("MaxPool", ["x"], ["y"], [.. a]);
        OrtAssert.Matches(m, "x", Ort.RandomFloats(22, 1, 2, 8, 9), tolerance: 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AveragePool(int countIncludePad)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(11).Input("x", DataType.Float32, 1, 2, 7, 7).Output("y", DataType.Float32)
            .Node("AveragePool", ["x"], ["y"], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1),
                Int("count_include_pad", countIncludePad));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(23, 1, 2, 7, 7));
    }

    [Fact]
    public void GlobalAveragePool()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 2, 3, 5, 6).Output("y", DataType.Float32)
            .Node("GlobalAveragePool", ["x"], ["y"]);
        OrtAssert.Matches(m, "x", Ort.RandomFloats(24, 2, 3, 5, 6));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(15)]
    public void BatchNormalization(int opset)
    {
        Tensor variance = Tensor.FromArray(new Shape(3), [0.5f, 1.5f, 2f]);
        OnnxModelBuilder m = new OnnxModelBuilder(opset).Input("x", DataType.Float32, 2, 3, 4, 4).Output("y", DataType.Float32)
            .Init("g", Ort.RandomFloats(25, 3)).Init("b", Ort.RandomFloats(26, 3)).Init("m", Ort.RandomFloats(27, 3)).Init("v", variance)
            .Node("BatchNormalization", ["x", "g", "b", "m", "v"], ["y"], Float("epsilon", 1e-3f));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(28, 2, 3, 4, 4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Flatten(int axis)
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 2, 3, 4, 5).Output("y", DataType.Float32)
            .Node("Flatten", ["x"], ["y"], Int("axis", axis));
        Tensor y = OrtAssert.Matches(m, "x", Ort.RandomFloats(29, 2, 3, 4, 5), tolerance: 0)[0];
        Assert.Equal(2, y.Shape.Rank);
    }

    [Fact]
    public void ReshapeWithAConstantShape()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 2, 3, 4).Output("y", DataType.Float32)
            .InitInt64("shape", 0, -1, 2).Node("Reshape", ["x", "shape"], ["y"]);
        Assert.Equal(new Shape(2, 6, 2), OrtAssert.Matches(m, "x", Ort.RandomFloats(30, 2, 3, 4), tolerance: 0)[0].Shape);
    }

    [Fact]
    public void ConcatOfInputsAndConstants()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("a", DataType.Float32, 1, 2, 3).Input("b", DataType.Float32, 1, 4, 3)
            .Output("y", DataType.Float32).Init("c", Ort.RandomFloats(31, 1, 1, 3))
            .Node("Concat", ["a", "c", "b"], ["y"], Int("axis", 1));
        OrtAssert.Matches(m, new Dictionary<string, Tensor> { ["a"] = Ort.RandomFloats(32, 1, 2, 3), ["b"] = Ort.RandomFloats(33, 1, 4, 3) }, 0);
    }

    [Fact]
    public void PadWithAttributes()
    {
        OnnxModelBuilder m = new OnnxModelBuilder(7).Input("x", DataType.Float32, 1, 2, 3, 3).Output("y", DataType.Float32)
            .Node("Pad", ["x"], ["y"], Ints("pads", 0, 0, 1, 2, 0, 0, 2, 1), Float("value", 0.5f), Str("mode", "constant"));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(34, 1, 2, 3, 3), tolerance: 0);
    }

    [Theory]
    [InlineData(13, false)]
    [InlineData(18, true)]
    public void PadWithInputs(int opset, bool axes)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(opset).Input("x", DataType.Float32, 1, 2, 3, 3).Output("y", DataType.Float32)
            .Init("v", -1.25f);
        if (axes)
        {
            m.InitInt64("p", 1, 2, 2, 1).InitInt64("axes", 2, -1).Node("Pad", ["x", "p", "v", "axes"], ["y"]);
        }
        else
        {
            m.InitInt64("p", 0, 0, 1, 2, 0, 0, 2, 1).Node("Pad", ["x", "p", "v"], ["y"]);
        }
        Assert.Equal(new Shape(1, 2, 6, 6), OrtAssert.Matches(m, "x", Ort.RandomFloats(35, 1, 2, 3, 3), tolerance: 0)[0].Shape);
    }

    /// <summary>Before opset 13 Softmax normalizes over all axes from 'axis' on (input coerced to 2-D); from 13 over one axis.</summary>
    [Theory]
    [InlineData(11, 1)]
    [InlineData(11, 2)]
    [InlineData(13, 1)]
    [InlineData(13, -1)]
    public void Softmax(int opset, int axis)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(opset).Input("x", DataType.Float32, 2, 3, 4).Output("y", DataType.Float32)
            .Node("Softmax", ["x"], ["y"], Int("axis", axis));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(36, 2, 3, 4));
    }
}
