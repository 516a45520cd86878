using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm.Kernels;

namespace Vta.Compiler.Tests.Llvm;

public sealed class DepthwiseConvQ8Tests
{
    public static TheoryData<int, int, int, bool> MobileNetV2Shapes()
    {
        TheoryData<int, int, int, bool> data = [];
        foreach ((int size, int channels, int stride) in LlvmTestData.MobileNetV2Depthwise.Distinct())
        {
            // The shared model is uint8 per-tensor; int8 per-channel is what newer TFLite converters emit.
            data.Add(size, channels, stride, false);
            data.Add(size, channels, stride, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MobileNetV2Shapes))]
    public void MatchesManagedKernelExactly(int size, int channels, int stride, bool int8PerChannel)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new((size * 1000) + channels + stride);
        (Op op, Tensor x, Tensor w, Tensor b, TensorType outType) = MakeCase(rng, size, channels, stride, int8PerChannel, FusedActivation.Relu6);

        Tensor expected = LlvmTestData.Managed(op, outType, x, w, b);
        PreparedDepthwiseConvQ8 kernel = PreparedDepthwiseConvQ8.TryCreate((DepthwiseConv2d)op, x.Type, w, b, outType, out string? reason)
            ?? throw new InvalidOperationException(reason);
        LlvmTestData.AssertSameIntegers(expected, kernel.Run(x), $"{size}²×{channels} s{stride}");
    }

    [Fact]
    public void BorderAndInteriorBothCountWithLargePadsAndDilation()
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(7);
        DepthwiseConv2d op = new(new Size2d(1, 2), new Pads2d(2, 0, 2, 3), new Size2d(2, 1), 1, FusedActivation.None, DataLayout.Nhwc, KernelLayout.Ihwo);
        Shape xs = new(2, 9, 11, 20);
        Tensor x = LlvmTestData.RandomQuantized(rng, DataType.Int8, xs, Quantization.PerTensor(0.05f, -3));
        Tensor w = LlvmTestData.RandomQuantized(rng, DataType.Int8, new Shape(1, 3, 3, 20),
            Quantization.PerChannel(Enumerable.Range(0, 20).Select(i => 0.001f * (i + 1)), [0], 3));
        TensorType outType = op.InferOutputs([x.Type, w.Type])[0].WithQuant(Quantization.PerTensor(0.02f, 5));
        Tensor expected = LlvmTestData.Managed(op, outType, x, w);
        PreparedDepthwiseConvQ8 kernel = PreparedDepthwiseConvQ8.TryCreate(op, x.Type, w, null, outType, out string? reason)
            ?? throw new InvalidOperationException(reason);
        LlvmTestData.AssertSameIntegers(expected, kernel.Run(x), "padded, dilated, batch 2");
    }

    internal static (Op Op, Tensor X, Tensor W, Tensor B, TensorType OutType) MakeCase(
        Random rng, int size, int channels, int stride, bool int8PerChannel, FusedActivation activation)
    {
        (int before, int after) = LlvmTestData.SamePad(size, 3, stride);
        DepthwiseConv2d op = new(new Size2d(stride, stride), new Pads2d(before, before, after, after), Size2d.One, 1, activation,
            DataLayout.Nhwc, KernelLayout.Ihwo);
        DataType type = int8PerChannel ? DataType.Int8 : DataType.UInt8;
        Quantization xq = Quantization.PerTensor(0.0235f, int8PerChannel ? -1 : 128);
        Quantization wq = int8PerChannel
            ? Quantization.PerChannel(Enumerable.Range(0, channels).Select(i => 0.002f + (0.0005f * (i % 17))), [0], 3)
            : Quantization.PerTensor(0.0173f, 121);
        Tensor x = LlvmTestData.RandomQuantized(rng, type, new Shape(1, size, size, channels), xq);
        Tensor w = LlvmTestData.RandomQuantized(rng, type, new Shape(1, 3, 3, channels), wq);
        Tensor b = LlvmTestData.RandomInt32(rng, new Shape(channels), 20000);
        TensorType outType = op.InferOutputs([x.Type, w.Type, b.Type])[0].WithQuant(Quantization.PerTensor(0.0236f, int8PerChannel ? 0 : 3));
        return (op, x, w, b, outType);
    }
}
