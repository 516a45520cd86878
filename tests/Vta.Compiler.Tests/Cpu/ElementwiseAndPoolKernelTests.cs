using Vta.Compiler.Graphs;
using static Vta.Compiler.Tests.Cpu.KernelTestGraphs;

namespace Vta.Compiler.Tests.Cpu;

public class ElementwiseAndPoolKernelTests
{
    [Fact]
    public void FloatBinaryOpsBroadcast()
    {
        Tensor x = F(new Shape(2, 3), 1, 2, 3, 4, 5, 6);
        Assert.Equal(new[] { 11f, 22f, 33f, 14f, 25f, 36f }, RunOp(new Add(), null, x, F(new Shape(3), 10, 20, 30)).As<float>());
        Assert.Equal(new[] { 2f, 4f, 6f, 12f, 15f, 18f }, RunOp(new Mul(), null, x, F(new Shape(2, 1), 2, 3)).As<float>());
        Assert.Equal(new[] { 0f, 1f, 2f, 3f, 4f, 5f }, RunOp(new Sub(FusedActivation.Relu), null, x, F(Shape.Scalar, 1)).As<float>());
    }

    [Fact]
    public void QuantizedAddStaysWithinOneLsbOfTheRealSum()
    {
        Random random = new(11);
        Quantization qa = Quantization.PerTensor(0.05f, -3), qb = Quantization.PerTensor(0.08f, 10), qo = Quantization.PerTensor(0.1f, 2);
        sbyte[] a = Enumerable.Range(0, 500).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
        sbyte[] b = Enumerable.Range(0, 500).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
        Tensor ta = Tensor.FromArray(new Shape(500), a, qa), tb = Tensor.FromArray(new Shape(500), b, qb);
        int[] sum = RunOp(new Add(), qo, ta, tb).ToInt32Values();
        int[] product = RunOp(new Mul(), qo, ta, tb).ToInt32Values();
        float[] ra = ta.Dequantize(), rb = tb.Dequantize();
        for (int i = 0; i < 500; i++)
        {
            Assert.InRange(sum[i], Expected(ra[i] + rb[i]) - 1, Expected(ra[i] + rb[i]) + 1);
            Assert.InRange(product[i], Expected(ra[i] * rb[i]) - 1, Expected(ra[i] * rb[i]) + 1);
        }

        static int Expected(float real) => Math.Clamp((int)MathF.Round(real / 0.1f) + 2, -128, 127);
    }

    [Fact]
    public void QuantizedReluAndClipUseTheZeroPoint()
    {
        Tensor x = Tensor.FromArray(new Shape(4), new byte[] { 0, 100, 128, 250 }, Quantization.PerTensor(0.1f, 100));
        Assert.Equal(new[] { 100, 100, 128, 250 }, RunOp(new Relu(), null, x).ToInt32Values());
        Assert.Equal(new[] { 90, 100, 128, 160 }, RunOp(new Clip(-1, 6), null, x).ToInt32Values());
        Tensor raw = Tensor.FromArray(new Shape(3), new[] { -300, 5, 300 });
        Assert.Equal(new[] { -128, 5, 127 }, RunOp(new Clip(-128, 127), null, raw).ToInt32Values());
    }

    [Fact]
    public void IntegerShiftAndCastFollowC()
    {
        Tensor x = Tensor.FromArray(new Shape(3), new[] { 1000, -1000, 255 });
        Assert.Equal(new[] { 125, -125, 31 }, RunOp(new RightShift(), null, x, Tensor.FromArray(Shape.Scalar, new[] { 3 })).As<int>());
        Assert.Equal(new sbyte[] { -24, 24, -1 }, RunOp(new Cast(DataType.Int8), null, x).As<sbyte>()); // low 8 bits
        Assert.Equal(new[] { 2, -2 }, RunOp(new Cast(DataType.Int32), null, F(new Shape(2), 2.9f, -2.9f)).As<int>());
    }

    [Fact]
    public void QuantizedAveragePoolRoundsHalfAwayFromZeroAndSkipsPadding()
    {
        // 1x2x2x1 NHWC: [1, 2; -1, -2]; 2x2 window with pad 1 on the bottom/right.
        Tensor x = Tensor.FromArray(new Shape(1, 2, 2, 1), new sbyte[] { 1, 2, -1, -4 }, Quantization.PerTensor(1f, 0));
        AvgPool op = new(new Size2d(2, 2), Size2d.One, new Pads2d(0, 0, 1, 1), DataLayout.Nhwc);
        // Windows: {1,2,-1,-4} -> -0.5 -> -1; {2,-4} -> -1; {-1,-4} -> -2.5 -> -3; {-4} -> -4.
        Assert.Equal(new[] { -1, -1, -3, -4 }, RunOp(op, null, x).ToInt32Values());
        Tensor counted = RunOp(op with { CountIncludePad = true }, null, F(new Shape(1, 2, 2, 1), 1, 2, -1, -4));
        Assert.Equal(new[] { -0.5f, -0.5f, -1.25f, -1f }, counted.As<float>());
    }

    [Fact]
    public void MaxAndGlobalPoolAndMean()
    {
        Tensor x = F(new Shape(1, 1, 2, 3), 1, 5, 2, 7, 0, 3);
        Assert.Equal(new[] { 7f, 5f }, RunOp(new MaxPool(new Size2d(2, 2), Size2d.One, Pads2d.Zero), null, x).As<float>());
        Assert.Equal(new[] { 3f }, RunOp(new GlobalAvgPool(), null, x).As<float>());
        Assert.Equal(new[] { 4f, 2.5f, 2.5f }, RunOp(new Mean([2], KeepDims: false), null, x).As<float>());
        Tensor q = Tensor.FromArray(new Shape(1, 2, 2, 1), new byte[] { 10, 11, 11, 11 }, Quantization.PerTensor(0.5f, 3));
        Assert.Equal(new[] { 11 }, RunOp(new Mean([1, 2]), null, q).ToInt32Values()); // 10.75 -> 11
        Assert.Equal(new[] { 9 }, RunOp(new GlobalAvgPool(DataLayout.Nhwc), Quantization.PerTensor(1f, 5), q).ToInt32Values()); // (7.75*0.5)+5
    }

    [Fact]
    public void QuantizedSoftmaxIsWithinOneLsbOfFloat()
    {
        Random random = new(17);
        sbyte[] values = Enumerable.Range(0, 40).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
        Quantization input = Quantization.PerTensor(0.1f, 5);
        Tensor x = Tensor.FromArray(new Shape(4, 10), values, input);
        int[] actual = RunOp(new Softmax(), Quantization.PerTensor(1f / 256, -128), x).ToInt32Values();
        float[] real = x.Dequantize();
        for (int row = 0; row < 4; row++)
        {
            float[] e = real.Skip(row * 10).Take(10).Select(v => MathF.Exp(v)).ToArray();
            for (int c = 0; c < 10; c++)
            {
                int expected = Math.Clamp((int)MathF.Round(e[c] / e.Sum() * 256) - 128, -128, 127);
                Assert.InRange(actual[(row * 10) + c], expected - 1, expected + 1);
            }
        }
        Tensor probabilities = RunOp(new Softmax(), null, F(new Shape(3), 0, 0, MathF.Log(2)));
        Assert.Equal(new[] { 0.25f, 0.25f, 0.5f }, probabilities.As<float>().Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void QuantizeDequantizeRequantize()
    {
        Tensor x = F(new Shape(4), -1f, 0.24f, 0.25f, 100f);
        Tensor q = RunOp(new Quantize(DataType.Int8), Quantization.PerTensor(0.5f, 1), x);
        Assert.Equal(new sbyte[] { -1, 1, 2, 127 }, q.As<sbyte>()); // 0.5 rounds away from zero
        Assert.Equal(new[] { -1f, 0f, 0.5f, 63f }, RunOp(new Dequantize(), null, q).As<float>());
        Tensor r = RunOp(new Requantize(DataType.UInt8), Quantization.PerTensor(0.25f, 128), q);
        Assert.Equal(new[] { 124, 128, 130, 255 }, r.ToInt32Values()); // 126 * 2 + 128 saturates
    }

    [Fact]
    public void PadConcatTranspose()
    {
        Tensor q = Tensor.FromArray(new Shape(1, 2), new byte[] { 7, 9 }, Quantization.PerTensor(0.5f, 128));
        Assert.Equal(new[] { 128, 7, 9, 128, 128 }, RunOp(new Pad([0, 1, 0, 2]), null, q).ToInt32Values());
        Assert.Equal(new[] { 130, 7, 9 }, RunOp(new Pad([0, 1, 0, 0], 1f), null, q).ToInt32Values());
        Tensor a = F(new Shape(2, 1), 1, 2), b = F(new Shape(2, 2), 3, 4, 5, 6);
        Assert.Equal(new[] { 1f, 3f, 4f, 2f, 5f, 6f }, RunOp(new Concat(1), null, a, b).As<float>());
        Tensor qa = Tensor.FromArray(new Shape(2), new sbyte[] { 10, 20 }, Quantization.PerTensor(1f, 0));
        Tensor qb = Tensor.FromArray(new Shape(1), new sbyte[] { 10 }, Quantization.PerTensor(0.5f, 0));
        Assert.Equal(new[] { 10, 20, 5 }, RunOp(new Concat(0), Quantization.PerTensor(1f, 0), qa, qb).ToInt32Values());
        Assert.Equal(new[] { 1f, 4f, 2f, 5f, 3f, 6f }, RunOp(new Transpose([1, 0]), null, F(new Shape(2, 3), 1, 2, 3, 4, 5, 6)).As<float>());
    }

    [Fact]
    public void BatchNormNormalizesTheChannelAxis()
    {
        Tensor x = F(new Shape(1, 2, 1, 2), 1, 3, 10, 20);
        Tensor y = RunOp(new BatchNorm(0f), null, x, F(new Shape(2), 2, 1), F(new Shape(2), 0, 1), F(new Shape(2), 1, 10), F(new Shape(2), 4, 25));
        Assert.Equal(new[] { 0f, 2f, 1f, 3f }, y.As<float>());
    }
}
