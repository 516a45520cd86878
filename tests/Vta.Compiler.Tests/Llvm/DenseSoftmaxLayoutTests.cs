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
    [InlineData(DataType.UInt8, DataType.Int8)]
    [InlineData(DataType.Int8, DataType.Int8)]
    [InlineData(DataType.Int8, DataType.UInt8)]
    public void RequantizeMatchesManagedKernel(DataType from, DataType to)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new((int)from * 3 + (int)to);
        Tensor x = LlvmTestData.RandomQuantized(rng, from, new Shape(1, 7, 7, 1280), Quantization.PerTensor(0.0235f, from == DataType.UInt8 ? 128 : 3));
        Requantize op = new(to);
        TensorType outType = op.InferOutputs([x.Type])[0].WithQuant(Quantization.PerTensor(0.0171f, to == DataType.UInt8 ? 120 : -7));
        PreparedRequantize kernel = PreparedRequantize.TryCreate(x.Type, outType, out string? reason) ?? throw new InvalidOperationException(reason);
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
