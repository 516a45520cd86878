using Vta.Compiler.Graphs;
using static Vta.Compiler.Tests.Cpu.KernelTestGraphs;

namespace Vta.Compiler.Tests.Cpu;

public class ConvAndDenseKernelTests
{
    [Fact]
    public void FloatConvMatchesAHandComputation()
    {
        // 1x1x3x3 input 1..9, one 2x2 kernel [[1,0],[0,-1]], bias 10, stride 1, no pad: x[i,j] - x[i+1,j+1] + 10 = 6.
        Tensor x = F(new Shape(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor w = F(new Shape(1, 1, 2, 2), 1, 0, 0, -1);
        Tensor y = RunOp(new Conv2d(Size2d.One, Pads2d.Zero, Size2d.One), null, x, w, F(new Shape(1), 10));
        Assert.Equal(new[] { 6f, 6f, 6f, 6f }, y.As<float>());

        // Padding 1 and stride 2: outputs at (0,0), (0,2), (2,0), (2,2) of the padded sum.
        Tensor sum = RunOp(new Conv2d(new Size2d(2, 2), new Pads2d(1, 1, 1, 1), Size2d.One, Activation: FusedActivation.Relu6), null,
            x, F(new Shape(1, 1, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1));
        Assert.Equal(new[] { 6f, 6f, 6f, 6f }, sum.As<float>()); // 12, 16, 24, 28 clamped to 6
    }

    [Fact]
    public void LayoutsDoNotChangeTheResult()
    {
        Random random = new(3);
        float[] data = Enumerable.Range(0, 2 * 5 * 5 * 4).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] weights = Enumerable.Range(0, 6 * 4 * 3 * 3).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        Tensor nchw = F(new Shape(2, 4, 5, 5), data);
        Tensor oihw = F(new Shape(6, 4, 3, 3), weights);
        Conv2d op = new(new Size2d(2, 1), new Pads2d(1, 0, 1, 2), Size2d.One);
        Tensor expected = RunOp(op, null, nchw, oihw);

        Tensor nhwc = Permute(nchw, [0, 2, 3, 1]);
        Tensor ohwi = Permute(oihw, [0, 2, 3, 1]);
        Tensor actual = RunOp(op with { Layout = DataLayout.Nhwc, KernelLayout = KernelLayout.Ohwi }, null, nhwc, ohwi);
        Tensor back = Permute(actual, [0, 3, 1, 2]);
        Assert.Equal(expected.Shape, back.Shape);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected.As<float>()[i], back.As<float>()[i], 5);
        }
    }

    [Fact]
    public void DepthwiseIsAGroupedConvolution()
    {
        Random random = new(5);
        Tensor x = F(new Shape(1, 3, 6, 6), Enumerable.Range(0, 108).Select(_ => (float)random.NextDouble()).ToArray());
        Tensor w = F(new Shape(6, 1, 3, 3), Enumerable.Range(0, 54).Select(_ => (float)random.NextDouble()).ToArray());
        Tensor grouped = RunOp(new Conv2d(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One, Groups: 3), null, x, w);
        Tensor depthwise = RunOp(new DepthwiseConv2d(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One, Multiplier: 2), null, x, w);
        Assert.Equal(grouped.As<float>(), depthwise.As<float>());
    }

    [Fact]
    public void QuantizedConvFollowsTfliteArithmetic()
    {
        // uint8 input zp 128, weights zp 100; real multiplier 0.5 * 0.25 / 0.0625 = 2; output zp 10.
        Tensor x = Tensor.FromArray(new Shape(1, 1, 1, 2), new byte[] { 130, 125 }, Quantization.PerTensor(0.5f, 128));
        Tensor w = Tensor.FromArray(new Shape(1, 1, 1, 2), new byte[] { 103, 96 }, Quantization.PerTensor(0.25f, 100));
        Tensor b = Tensor.FromArray(new Shape(1), new[] { 5 });
        Conv2d op = new(Size2d.One, Pads2d.Zero, Size2d.One, Layout: DataLayout.Nhwc, KernelLayout: KernelLayout.Ohwi);
        Tensor y = RunOp(op, Quantization.PerTensor(0.0625f, 10), x, w, b);
        // acc = (2)(3) + (-3)(-4) + 5 = 23; 23 * 2 + 10 = 56.
        Assert.Equal(new[] { 56 }, y.ToInt32Values());
        Tensor clamped = RunOp(op with { Activation = FusedActivation.Relu6 }, Quantization.PerTensor(0.0625f, 10), x, w, b);
        Assert.Equal(new[] { 56 }, clamped.ToInt32Values()); // 6 / 0.0625 + 10 = 106 is above 56
    }

    [Fact]
    public void PerChannelInt8ConvUsesEachChannelsScale()
    {
        Tensor x = Tensor.FromArray(new Shape(1, 1, 1, 1), new sbyte[] { 20 }, Quantization.PerTensor(1f, -10));
        Tensor w = Tensor.FromArray(new Shape(2, 1, 1, 1), new sbyte[] { 3, 3 }, Quantization.PerChannel([0.5f, 0.25f], [0, 0], 0));
        Conv2d op = new(Size2d.One, Pads2d.Zero, Size2d.One, Layout: DataLayout.Nhwc, KernelLayout: KernelLayout.Ohwi);
        Tensor y = RunOp(op, Quantization.PerTensor(1f, 0), x, w);
        // acc = 30 * 3 = 90; channel 0: 45, channel 1: 22.5 -> 23 (half away from zero).
        Assert.Equal(new[] { 45, 23 }, y.ToInt32Values());
    }

    [Fact]
    public void RawIntegerConvAccumulatesIntoInt32()
    {
        Tensor x = Tensor.FromArray(new Shape(1, 2, 1, 1), new sbyte[] { 127, -128 });
        Tensor w = Tensor.FromArray(new Shape(1, 2, 1, 1), new sbyte[] { 127, -128 });
        Tensor y = RunOp(new Conv2d(Size2d.One, Pads2d.Zero, Size2d.One, OutDType: DataType.Int32), null, x, w);
        Assert.Equal(new[] { (127 * 127) + (128 * 128) }, y.As<int>());
    }

    [Fact]
    public void DenseAndMatMulAgree()
    {
        Tensor x = F(new Shape(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor w = F(new Shape(2, 3), 1, 0, -1, 0.5f, 0.5f, 0.5f);
        Tensor dense = RunOp(new Dense(), null, x, w, F(new Shape(2), 1, 0));
        Assert.Equal(new[] { -1f, 3f, -1f, 7.5f }, dense.As<float>());
        Tensor matmul = RunOp(new MatMul(), null, x, F(new Shape(3, 2), 1, 0.5f, 0, 0.5f, -1, 0.5f));
        Assert.Equal(new[] { -2f, 3f, -2f, 7.5f }, matmul.As<float>());
    }

    [Fact]
    public void QuantizedDenseRequantizes()
    {
        Tensor x = Tensor.FromArray(new Shape(1, 2), new sbyte[] { 10, -10 }, Quantization.PerTensor(0.5f, 0));
        Tensor w = Tensor.FromArray(new Shape(1, 2), new sbyte[] { 4, 2 }, Quantization.PerTensor(0.5f, 0));
        Tensor y = RunOp(new Dense(), Quantization.PerTensor(0.25f, -5), x, w, Tensor.FromArray(new Shape(1), new[] { 1 }));
        // acc = 40 - 20 + 1 = 21; 21 * 0.25 / 0.25 = 21; -5 + 21 = 16.
        Assert.Equal(new[] { 16 }, y.ToInt32Values());
    }

    private static Tensor Permute(Tensor t, int[] perm) => RunOp(new Transpose(perm), null, t);
}
