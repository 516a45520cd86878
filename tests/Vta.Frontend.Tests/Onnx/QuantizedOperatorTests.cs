using Vta.Compiler.Graphs;
using static Vta.Frontend.Tests.Onnx.OnnxModelBuilder;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>
/// Each quantized ONNX operator on a tiny model, bit for bit against ONNX Runtime (integer outputs compared exactly).
/// </summary>
public class QuantizedOperatorTests
{
    private const string Ms = "com.microsoft";

    [Fact]
    public void QuantizeLinearRoundsHalfToEvenAndSaturates()
    {
        // x / 0.5 = 0.5, 1.5, -0.5, -1.5, 2.5 are ties; 1000 and -1000 saturate.
        Tensor x = Tensor.FromArray(new Shape(1, 9), [0.25f, 0.75f, -0.25f, -0.75f, 1.25f, 1000f, -1000f, 0.1f, -63.9f]);
        OnnxModelBuilder u8 = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 9).Output("y", DataType.UInt8)
            .Init("s", 0.5f).InitU8("z", 128).Node("QuantizeLinear", ["x", "s", "z"], ["y"]);
        int[] y = OrtAssert.Matches(u8, "x", x)[0].ToInt32Values();
        Assert.Equal([128, 130, 128, 126, 130, 255, 0, 128, 0], y);

        OnnxModelBuilder i8 = new OnnxModelBuilder().Input("x", DataType.Float32, 2, 50).Output("y", DataType.Int8)
            .Init("s", 0.0371f).InitI8("z", -3).Node("QuantizeLinear", ["x", "s", "z"], ["y"]);
        OrtAssert.Matches(i8, "x", Ort.RandomFloats(1, 2, 50));
    }

    [Fact]
    public void QuantizeLinearPerAxis()
    {
        OnnxModelBuilder m = new OnnxModelBuilder(13).Input("x", DataType.Float32, 2, 3, 4).Output("y", DataType.Int8)
            .Init("s", Tensor.FromArray(new Shape(3), [0.01f, 0.02f, 0.05f]))
            .Init("z", Tensor.FromArray(new Shape(3), new sbyte[] { 0, 5, -7 }))
            .Node("QuantizeLinear", ["x", "s", "z"], ["y"], Int("axis", 1));
        OrtAssert.Matches(m, "x", Ort.RandomFloats(2, 2, 3, 4));
    }

    [Fact]
    public void DequantizeLinearOfAComputedValue()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.UInt8, 4, 8).Output("y", DataType.Float32)
            .Init("s", 0.0173f).InitU8("z", 97).Node("DequantizeLinear", ["x", "s", "z"], ["y"]);
        OrtAssert.Matches(m, "x", Ort.RandomBytes(3, 4, 8), tolerance: 0);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 8)]
    public void QLinearConvWithPerChannelWeights(int stride, int group)
    {
        int outChannels = group == 1 ? 16 : 8, perGroup = 8 / group;
        Random r = new(4);
        sbyte[] w = new sbyte[outChannels * perGroup * 9];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (sbyte)r.Next(-127, 128);
        }
        int[] bias = [.. Enumerable.Range(0, outChannels).Select(_ => r.Next(-5000, 5000))];
        float[] scales = [.. Enumerable.Range(0, outChannels).Select(_ => (float)(0.002 + (0.01 * r.NextDouble())))];
        OnnxModelBuilder m = new OnnxModelBuilder(10).Input("x", DataType.UInt8, 1, 8, 10, 10).Output("y", DataType.UInt8)
            .Init("xs", 0.02f).InitU8("xz", 120)
            .Init("w", Tensor.FromArray(new Shape(outChannels, perGroup, 3, 3), w))
            .Init("ws", Tensor.FromArray(new Shape(outChannels), scales))
            .Init("wz", Tensor.FromArray(new Shape(outChannels), new sbyte[outChannels]))
            .Init("ys", 0.05f).InitU8("yz", 110)
            .Init("b", Tensor.FromArray(new Shape(outChannels), bias))
            .Node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"], ["y"],
                Ints("kernel_shape", 3, 3), Ints("strides", stride, stride), Ints("pads", 1, 0, 2, 1), Int("group", group));
        OrtAssert.Matches(m, "x", Ort.RandomBytes(5, 1, 8, 10, 10));
    }

    [Fact]
    public void QLinearConvWithInt8Activations()
    {
        Random r = new(6);
        sbyte[] w = new sbyte[4 * 3 * 3 * 3];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (sbyte)r.Next(-100, 100);
        }
        OnnxModelBuilder m = new OnnxModelBuilder(10).Input("x", DataType.Int8, 1, 3, 7, 7).Output("y", DataType.Int8)
            .Init("xs", 0.03f).InitI8("xz", -10)
            .Init("w", Tensor.FromArray(new Shape(4, 3, 3, 3), w)).Init("ws", 0.004f).InitI8("wz", 0)
            .Init("ys", 0.06f).InitI8("yz", 5)
            .Node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"], Ints("pads", 1, 1, 1, 1));
        sbyte[] x = new sbyte[3 * 49];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (sbyte)r.Next(-128, 128);
        }
        OrtAssert.Matches(m, "x", Tensor.FromArray(new Shape(1, 3, 7, 7), x));
    }

    [Fact]
    public void QLinearMatMulWithPerColumnWeights()
    {
        Random r = new(7);
        sbyte[] b = new sbyte[16 * 10];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (sbyte)r.Next(-127, 128);
        }
        float[] scales = [.. Enumerable.Range(0, 10).Select(_ => (float)(0.001 + (0.01 * r.NextDouble())))];
        OnnxModelBuilder m = new OnnxModelBuilder(12).Input("a", DataType.UInt8, 3, 16).Output("y", DataType.UInt8)
            .Init("as", 0.02f).InitU8("az", 3)
            .Init("b", Tensor.FromArray(new Shape(16, 10), b)).Init("bs", Tensor.FromArray(new Shape(10), scales))
            .Init("bz", Tensor.FromArray(new Shape(10), new sbyte[10]))
            .Init("ys", 0.1f).InitU8("yz", 76)
            .Node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"]);
        OrtAssert.Matches(m, "a", Ort.RandomBytes(8, 3, 16));
    }

    [Fact]
    public void QLinearMatMulPerTensorUint8()
    {
        OnnxModelBuilder m = new OnnxModelBuilder(10).Input("a", DataType.UInt8, 2, 5, 12).Output("y", DataType.UInt8)
            .Init("as", 0.05f).InitU8("az", 128)
            .Init("b", Ort.RandomBytes(9, 12, 7)).Init("bs", 0.01f).InitU8("bz", 131)
            .Init("ys", 0.2f).InitU8("yz", 128)
            .Node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"]);
        OrtAssert.Matches(m, "a", Ort.RandomBytes(10, 2, 5, 12));
    }

    /// <summary>
    /// Every pair of uint8 inputs: the float fused multiply-adds and the round-half-to-even must match exactly. The
    /// first parameters are MobileNetV2's first QLinearAdd; the others were searched for so that one of the 65536
    /// results changes with how MLAS's zero-point constant is rounded (plain, or fused either way round).
    /// </summary>
    [Theory]
    [InlineData(0.03971019f, 107, 0.04609474f, 127, 0.057970688f, 125)]
    [InlineData(0.059697956f, 139, 0.03279166f, 96, 0.050798815f, 127)]
    [InlineData(0.047919616f, 149, 0.03381032f, 127, 0.03293117f, 20)]
    [InlineData(0.02791651f, 95, 0.028080065f, 216, 0.045590155f, 219)]
    public void QLinearAddOnEveryPairOfInputs(float sa, int za, float sb, int zb, float sy, int zy)
    {
        byte[] a = new byte[65536], b = new byte[65536];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (byte)(i >> 8);
            b[i] = (byte)i;
        }
        OnnxModelBuilder m = new OnnxModelBuilder(12).Input("a", DataType.UInt8, 256, 256).Input("b", DataType.UInt8, 256, 256)
            .Output("y", DataType.UInt8)
            .Init("as", sa).InitU8("az", (byte)za).Init("bs", sb).InitU8("bz", (byte)zb).Init("ys", sy).InitU8("yz", (byte)zy)
            .Node("QLinearAdd", Ms, ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"]);
        OrtAssert.Matches(m, new Dictionary<string, Tensor>
        {
            ["a"] = Tensor.FromArray(new Shape(256, 256), a),
            ["b"] = Tensor.FromArray(new Shape(256, 256), b),
        });
    }

    /// <summary>
    /// A side broadcast along the innermost axis. MLAS has a scalar path that folds such a side into the constant
    /// with a multiply and an add; with these (searched) parameters one of the 65536 pairs would round differently
    /// that way. ONNX Runtime gives the fused result, which these tests pin for both orientations.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void QLinearAddWithABroadcastSideOnEveryPair(bool scalarIsA)
    {
        byte[] full = new byte[65536], column = new byte[256];
        for (int i = 0; i < full.Length; i++)
        {
            full[i] = (byte)i;
            column[i >> 8] = (byte)(i >> 8);
        }
        Tensor rows = Tensor.FromArray(new Shape(256, 256), full), scalars = Tensor.FromArray(new Shape(256, 1), column);
        (string sa, string sb) = scalarIsA ? ("s", "f") : ("f", "s");
        OnnxModelBuilder m = new OnnxModelBuilder(12).Input("f", DataType.UInt8, 256, 256).Input("s", DataType.UInt8, 256, 1)
            .Output("y", DataType.UInt8)
            .Init("as", scalarIsA ? 0.057193115f : 0.027704189f).InitU8("az", (byte)(scalarIsA ? 7 : 164))
            .Init("bs", scalarIsA ? 0.027704189f : 0.057193115f).InitU8("bz", (byte)(scalarIsA ? 164 : 7))
            .Init("ys", 0.026075987f).InitU8("yz", 63)
            .Node("QLinearAdd", Ms, [sa, "as", "az", sb, "bs", "bz", "ys", "yz"], ["y"]);
        OrtAssert.Matches(m, new Dictionary<string, Tensor> { ["f"] = rows, ["s"] = scalars });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void QLinearAddWithAScalarSide(bool scalarIsA)
    {
        Tensor all = Tensor.FromArray(new Shape(256), Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        Tensor scalar = Tensor.FromArray(Shape.Scalar, new byte[] { 49 });
        (string sa, string sb) = scalarIsA ? ("s", "f") : ("f", "s");
        OnnxModelBuilder m = new OnnxModelBuilder(12).Input("f", DataType.UInt8, 256).Input("s", DataType.UInt8)
            .Output("y", DataType.UInt8)
            .Init("as", scalarIsA ? 0.057193115f : 0.027704189f).InitU8("az", (byte)(scalarIsA ? 7 : 164))
            .Init("bs", scalarIsA ? 0.027704189f : 0.057193115f).InitU8("bz", (byte)(scalarIsA ? 164 : 7))
            .Init("ys", 0.026075987f).InitU8("yz", 63)
            .Node("QLinearAdd", Ms, [sa, "as", "az", sb, "bs", "bz", "ys", "yz"], ["y"]);
        OrtAssert.Matches(m, new Dictionary<string, Tensor> { ["f"] = all, ["s"] = scalar });
    }

    [Theory]
    [InlineData(new[] { 1, 4, 3, 3 }, new[] { 1, 4, 1, 1 })]
    [InlineData(new[] { 1, 4, 1, 1 }, new[] { 1, 4, 3, 3 })]
    [InlineData(new[] { 2, 5 }, new[] { 5 })]
    [InlineData(new[] { 3, 8 }, new int[0])]
    public void QLinearAddBroadcasts(int[] aShape, int[] bShape)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(12).Input("a", DataType.Int8, aShape).Input("b", DataType.Int8, bShape)
            .Output("y", DataType.Int8)
            .Init("as", 0.021f).InitI8("az", -7).Init("bs", 0.09f).InitI8("bz", 11).Init("ys", 0.05f).InitI8("yz", 3)
            .Node("QLinearAdd", Ms, ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"]);
        OrtAssert.Matches(m, new Dictionary<string, Tensor> { ["a"] = RandomInt8(11, aShape), ["b"] = RandomInt8(12, bShape) });
    }

    [Theory]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int8)]
    public void QLinearGlobalAveragePool(DataType type)
    {
        OnnxModelBuilder m = new OnnxModelBuilder(12).Input("x", type, 2, 6, 7, 7).Output("y", type)
            .Init("xs", 0.023529412f).Init("ys", 0.019110054f);
        if (type == DataType.UInt8)
        {
            m.InitU8("xz", 9).InitU8("yz", 4);
        }
        else
        {
            m.InitI8("xz", -9).InitI8("yz", 4);
        }
        m.Node("QLinearGlobalAveragePool", Ms, ["x", "xs", "xz", "ys", "yz"], ["y"], Int("channels_last", 0));
        Tensor x = type == DataType.UInt8 ? Ort.RandomBytes(13, 2, 6, 7, 7) : RandomInt8(13, [2, 6, 7, 7]);
        OrtAssert.Matches(m, "x", x);
    }

    private static Tensor RandomInt8(int seed, int[] dims)
    {
        Tensor bytes = Ort.RandomBytes(seed, dims);
        return Tensor.FromArray(bytes.Shape, bytes.As<byte>().Select(v => (sbyte)v).ToArray());
    }
}
