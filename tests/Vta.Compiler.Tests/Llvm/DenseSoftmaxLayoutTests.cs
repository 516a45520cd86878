using Vta.Compiler.Graphs;
using Vta.Runtime.Layout;
using Vta.Compiler.Llvm.Kernels;

namespace Vta.Compiler.Tests.Llvm;

public sealed class DenseSoftmaxLayoutTests
{
    [Theory]
    [InlineData(DataType.Float32, false)]
    [InlineData(DataType.UInt8, false)]
    [InlineData(DataType.Int8, true)]
    public void DenseMatchesManagedKernel(DataType type, bool perChannel)
    {
        LlvmFact.SkipUnlessAvailable();
        // ResNet-18's classifier (512 → 1000) with two rows; MobileNetV2's is a 1×1 conv, 1280 → 1001.
        Random rng = new((int)type);
        (int n, int k, int units) = (2, 512, 1000);
        Dense op = new(FusedActivation.Relu);
        Tensor x, w, b;
        TensorType outType;
        if (type == DataType.Float32)
        {
            (x, w, b) = (LlvmTestData.RandomFloat(rng, new Shape(n, k)), LlvmTestData.RandomFloat(rng, new Shape(units, k), 0.1f),
                LlvmTestData.RandomFloat(rng, new Shape(units)));
            outType = op.InferOutputs([x.Type, w.Type, b.Type])[0];
        }
        else
        {
            Quantization wq = perChannel
                ? Quantization.PerChannel(Enumerable.Range(0, units).Select(u => 0.001f + (0.0001f * (u % 13))), [0], 0)
                : Quantization.PerTensor(0.003f, 130);
            x = LlvmTestData.RandomQuantized(rng, type, new Shape(n, k), Quantization.PerTensor(0.02f, type == DataType.UInt8 ? 128 : -2));
            w = LlvmTestData.RandomQuantized(rng, type, new Shape(units, k), perChannel ? wq : wq);
            b = LlvmTestData.RandomInt32(rng, new Shape(units), 5000);
            outType = op.InferOutputs([x.Type, w.Type, b.Type])[0].WithQuant(Quantization.PerTensor(0.15f, type == DataType.UInt8 ? 100 : -10));
        }
        Tensor expected = LlvmTestData.Managed(op, outType, x, w, b);
        PreparedDense kernel = PreparedDense.TryCreate(op, x.Type, w, b, outType, out string? reason) ?? throw new InvalidOperationException(reason);
        Tensor actual = kernel.Run(x);
        if (type == DataType.Float32)
        {
            LlvmTestData.AssertClose(expected, actual, "dense f32");
            Assert.Equal(expected.As<float>(), actual.As<float>());
        }
        else
        {
            LlvmTestData.AssertSameIntegers(expected, actual, $"dense {type}");
        }
    }

    [Fact]
    public void SoftmaxMatchesManagedKernel()
    {
        LlvmFact.SkipUnlessAvailable();
        Softmax op = new(-1, 1f);
        Tensor x = LlvmTestData.RandomFloat(new Random(5), new Shape(3, 1001), 8f);
        TensorType outType = op.InferOutputs([x.Type])[0];
        PreparedSoftmax kernel = PreparedSoftmax.TryCreate(op, x.Type, outType, out string? reason) ?? throw new InvalidOperationException(reason);
        LlvmTestData.AssertClose(LlvmTestData.Managed(op, outType, x), kernel.Run(x), "softmax 3x1001");
    }

    [Theory]
    // MobileNetV2's logits (uint8, scale 0.0989, zero point 58), a small scale (no difference cut off), a large one
    // (most differences below the cut-off), int8, and beta other than 1.
    [InlineData(DataType.UInt8, 1, 1001, 0.09889254f, 58, 1f)]
    [InlineData(DataType.UInt8, 4, 37, 0.003f, 0, 1f)]
    [InlineData(DataType.Int8, 3, 300, 0.9f, -5, 1f)]
    [InlineData(DataType.Int8, 5, 10, 0.05f, 3, 0.5f)]
    public void QuantizedSoftmaxMatchesManagedKernelExactly(DataType type, int rows, int depth, float scale, int zeroPoint, float beta)
    {
        LlvmFact.SkipUnlessAvailable();
        Softmax op = new(-1, beta);
        Tensor x = LlvmTestData.RandomQuantized(new Random(rows + depth), type, new Shape(rows, depth), Quantization.PerTensor(scale, zeroPoint));
        TensorType outType = op.InferOutputs([x.Type])[0].WithQuant(Quantization.PerTensor(1f / 256, (int)type.MinValue()));
        PreparedSoftmax kernel = PreparedSoftmax.TryCreate(op, x.Type, outType, out string? reason) ?? throw new InvalidOperationException(reason);
        Assert.IsType<SoftmaxQ8Kernel>(kernel.Definition);
        LlvmTestData.AssertSameIntegers(LlvmTestData.Managed(op, outType, x), kernel.Run(x), $"softmax {type} {rows}x{depth}");
    }

    [Theory]
    [InlineData(DataType.UInt8, DataType.Int8, false)]
    [InlineData(DataType.Int8, DataType.Int8, false)]
    [InlineData(DataType.Int8, DataType.UInt8, false)]
    [InlineData(DataType.UInt8, DataType.Int8, true)]
    [InlineData(DataType.Int8, DataType.UInt8, true)]
    public void RequantizeMatchesManagedKernel(DataType from, DataType to, bool zeroPointShiftOnly)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(((int)from * 3) + (int)to);
        // zeroPointShiftOnly: VTA's int8 <-> uint8 boundary (same scale, zero point moved by 128), a byte add; else a table.
        Quantization inQ = zeroPointShiftOnly ? Quantization.PerTensor(0.0235f, from == DataType.UInt8 ? 128 : 0)
            : Quantization.PerTensor(0.0235f, from == DataType.UInt8 ? 128 : 3);
        Quantization outQ = zeroPointShiftOnly ? Quantization.PerTensor(0.0235f, to == DataType.UInt8 ? 128 : 0)
            : Quantization.PerTensor(0.0171f, to == DataType.UInt8 ? 120 : -7);
        Tensor x = LlvmTestData.RandomQuantized(rng, from, new Shape(1, 7, 7, 1280), inQ);
        Requantize op = new(to);
        TensorType outType = op.InferOutputs([x.Type])[0].WithQuant(outQ);
        PreparedRequantize kernel = PreparedRequantize.TryCreate(op, x.Type, outType, out string? reason) ?? throw new InvalidOperationException(reason);
        Assert.Equal(zeroPointShiftOnly, kernel.Definition is ElementwiseKernel);
        LlvmTestData.AssertSameIntegers(LlvmTestData.Managed(op, outType, x), kernel.Run(x), $"requantize {from}->{to}");
    }

    [Theory]
    [InlineData(1, 32, 14, 14, 1, 16)]
    [InlineData(3, 20, 5, 7, 2, 16)]
    [InlineData(1, 3, 9, 9, 1, 8)]
    public void PackedLayoutMatchesPackedLayoutClass(int n, int c, int h, int w, int batch, int block)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(n + c + h);
        sbyte[] nhwc = new sbyte[n * c * h * w];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(nhwc.AsSpan()));
        sbyte[] nchw = new sbyte[nhwc.Length];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < h * w; p++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    nchw[(((i * c) + ch) * h * w) + p] = nhwc[(((i * h * w) + p) * c) + ch];
                }
            }
        }
        // PackedLayout wants whole channel blocks on the way in; pad the NCHW copy with zero channels to compare.
        int cPadded = (c + block - 1) / block * block;
        sbyte[] nchwPadded = new sbyte[n * cPadded * h * w];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(nchw, i * c * h * w, nchwPadded, i * cPadded * h * w, c * h * w);
        }
        sbyte[] expected = PackedLayout.PackActivations(nchwPadded, n, cPadded, h, w, batch, block);
        sbyte[] packed = PackedLayoutKernels.Pack(nhwc, n, c, h, w, batch, block);
        Assert.Equal(expected, packed);
        Assert.Equal(nhwc, PackedLayoutKernels.Unpack(packed, n, c, h, w, batch, block));
    }
}
