using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Graphs;

public class ShapeInferenceTests
{
    private static TensorType F(params int[] dims) => new(DataType.Float32, new Shape(dims));

    private static Shape Infer(Op op, params TensorType[] inputs) => op.InferOutputs(inputs)[0].Shape;

    [Fact]
    public void ConvolutionsFollowStridesPadsDilationsGroupsAndLayouts()
    {
        Conv2d conv = new(new Size2d(2, 2), new Pads2d(0, 0, 1, 1), Size2d.One, Layout: DataLayout.Nhwc, KernelLayout: KernelLayout.Ohwi);
        Assert.Equal(new Shape(1, 112, 112, 32), Infer(conv, F(1, 224, 224, 3), F(32, 3, 3, 3)));
        Conv2d dilated = new(Size2d.One, new Pads2d(2, 2, 2, 2), new Size2d(2, 2));
        Assert.Equal(new Shape(1, 8, 10, 10), Infer(dilated, F(1, 4, 10, 10), F(8, 4, 3, 3)));
        Conv2d grouped = new(Size2d.One, Pads2d.Zero, Size2d.One, Groups: 2);
        Assert.Equal(new Shape(1, 6, 3, 3), Infer(grouped, F(1, 4, 5, 5), F(6, 2, 3, 3)));
        DepthwiseConv2d dw = new(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One, Multiplier: 2, Layout: DataLayout.Nhwc, KernelLayout: KernelLayout.Ihwo);
        Assert.Equal(new Shape(1, 7, 7, 16), Infer(dw, F(1, 7, 7, 8), F(1, 3, 3, 16)));
        Assert.Throws<GraphException>(() => Infer(dw, F(1, 7, 7, 8), F(1, 3, 3, 8)));
        Assert.Throws<GraphException>(() => Infer(conv, F(1, 224, 224, 3), F(32, 3, 3, 3), F(31)));
        Conv2d tvm = new(Size2d.One, Pads2d.Zero, Size2d.One, OutDType: DataType.Int32);
        Assert.Equal(DataType.Int32, tvm.InferOutputs([new TensorType(DataType.Int8, new Shape(1, 16, 4, 4)), new TensorType(DataType.Int8, new Shape(16, 16, 1, 1))])[0].DType);
    }

    [Fact]
    public void PoolsDenseAndMatMul()
    {
        Assert.Equal(new Shape(1, 8, 56, 56), Infer(new MaxPool(new Size2d(3, 3), new Size2d(2, 2), new Pads2d(1, 1, 1, 1)), F(1, 8, 112, 112)));
        Assert.Equal(new Shape(1, 8, 3, 3), Infer(new MaxPool(new Size2d(2, 2), new Size2d(2, 2), Pads2d.Zero, CeilMode: true), F(1, 8, 5, 5)));
        Assert.Equal(new Shape(1, 8, 2, 2), Infer(new MaxPool(new Size2d(2, 2), new Size2d(2, 2), Pads2d.Zero), F(1, 8, 5, 5)));
        Assert.Equal(new Shape(1, 1, 1, 64), Infer(new AvgPool(new Size2d(25, 5), new Size2d(25, 5), Pads2d.Zero, DataLayout.Nhwc), F(1, 25, 5, 64)));
        Assert.Equal(new Shape(2, 10), Infer(new Dense(), F(2, 64), F(10, 64), F(10)));
        Assert.Throws<GraphException>(() => Infer(new Dense(), F(2, 64), F(10, 32)));
        Assert.Equal(new Shape(2, 3, 5), Infer(new MatMul(), F(2, 3, 4), F(4, 5)));
    }

    [Fact]
    public void ElementwiseOpsBroadcastLikeNumPy()
    {
        Assert.Equal(new Shape(1, 4, 6, 6), Infer(new Add(), F(1, 4, 6, 6), F(4, 1, 1)));
        Assert.Equal(new Shape(3, 5), Infer(new Mul(), F(3, 1), F(1, 5)));
        Assert.Contains("do not broadcast", Assert.Throws<GraphException>(() => Infer(new Sub(), F(3, 4), F(5))).Message);
        Assert.Throws<GraphException>(() => Infer(new Add(), F(3), new TensorType(DataType.Int8, new Shape(3))));
    }

    [Fact]
    public void ShapeOps()
    {
        Assert.Equal(new Shape(2, 12), Reshape.Resolve(new Shape(2, 3, 4), [0, -1]));
        Assert.Equal(new Shape(6, 4), Reshape.Resolve(new Shape(2, 3, 4), [-1, 4]));
        Assert.Equal(new Shape(0, 4), Reshape.Resolve(new Shape(0, 4), [0, 4], zeroCopiesInput: false));
        Assert.Throws<GraphException>(() => Reshape.Resolve(new Shape(2, 3), [-1, -1]));
        Assert.Throws<GraphException>(() => Infer(new Reshape(new Shape(5)), F(2, 3)));
        Assert.Equal(new Shape(2, 12), Infer(new Flatten(), F(2, 3, 2, 2)));
        Assert.Equal(new Shape(1, 24), Infer(new Flatten(0), F(2, 3, 4)));
        Assert.Equal(new Shape(2, 7, 4), Infer(new Concat(1), F(2, 3, 4), F(2, 4, 4)));
        Assert.Throws<GraphException>(() => Infer(new Concat(1), F(2, 3, 4), F(2, 4, 5)));
        Assert.Equal(new Shape(1, 3, 6, 8), Infer(new Pad([0, 0, 1, 2, 0, 0, 2, 3]), F(1, 3, 3, 3)));
        Assert.Equal(new Shape(1, 6, 4, 3), Infer(new Transpose([0, 2, 3, 1]), F(1, 3, 6, 4)));
        Assert.Equal(new Shape(1, 1, 1, 5), Infer(new Mean([1, 2]), F(1, 7, 7, 5)));
        Assert.Equal(new Shape(1, 5), Infer(new Mean([1, -2], KeepDims: false), F(1, 7, 7, 5)));
    }

    [Fact]
    public void TransposeMovesAPerChannelQuantizationAxis()
    {
        Quantization q = Quantization.PerChannel([0.1f, 0.2f, 0.3f], [0], 0);
        TensorType w = new(DataType.Int8, new Shape(3, 2, 2, 5), q);
        TensorType t = new Transpose([1, 2, 3, 0]).InferOutputs([w])[0];
        Assert.Equal(new Shape(2, 2, 5, 3), t.Shape);
        Assert.Equal(3, t.Quant!.Axis);
    }

    [Fact]
    public void OpsCompareByValue()
    {
        Assert.Equal(new Pad([1, 2], 0.5f), new Pad([1, 2], 0.5f));
        Assert.NotEqual(new Pad([1, 2]), new Pad([2, 1]));
        Assert.Equal(new Mean([1, 2]), new Mean([1, 2]));
        Assert.Equal(new Reshape(new Shape(1, 4)), new Reshape(new Shape(1, 4)));
        Assert.Equal(Quantization.PerChannel([0.5f, 0.25f], [0, 0], 0), Quantization.PerChannel([0.5f, 0.25f], [0, 0], 0));
    }
}
