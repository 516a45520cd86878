using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm.Kernels;

namespace Vta.Compiler.Tests.Llvm;

/// <summary>
/// The ONNX quantized depthwise QLinearConv and QLinearGlobalAveragePool kernels against the managed kernels
/// (ONNX Runtime's arithmetic): every integer equal, on MobileNetV2's shapes and on padded, dilated, strided edge cases.
/// </summary>
public sealed class QLinearKernelTests
{
    public static TheoryData<int, int, int, bool> DepthwiseCases()
    {
        TheoryData<int, int, int, bool> data = [];
        foreach ((int size, int channels, int stride) in LlvmTestData.MobileNetV2Depthwise.Distinct())
        {
            // uint8 data with int8 per-channel weights (the ONNX model), and int8 data with uint8 per-tensor weights.
            data.Add(size, channels, stride, false);
            data.Add(size, channels, stride, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DepthwiseCases))]
    public void DepthwiseMatchesManagedKernelExactly(int size, int channels, int stride, bool int8Data)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new((size * 1000) + channels + stride + (int8Data ? 7 : 0));
        QLinearConv2d op = new(new Size2d(stride, stride), new Pads2d(1, 1, 1, 1), Size2d.One, channels, int8Data ? DataType.Int8 : DataType.UInt8);
        AssertDepthwise(rng, op, new Shape(1, channels, size, size), int8Data, withBias: true, $"{size}²×{channels} s{stride}");
    }

    [Fact]
    public void DepthwiseCoversAsymmetricPadsDilationBatchesAndNoBias()
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(11);
        QLinearConv2d op = new(new Size2d(2, 1), new Pads2d(2, 0, 1, 3), new Size2d(1, 2), 6, DataType.UInt8);
        AssertDepthwise(rng, op, new Shape(2, 6, 9, 13), int8Data: false, withBias: false, "padded, dilated, batch 2");
        QLinearConv2d wide = new(Size2d.One, new Pads2d(3, 3, 3, 3), Size2d.One, 4, DataType.Int8);
        AssertDepthwise(rng, wide, new Shape(1, 4, 5, 5), int8Data: true, withBias: true, "pads wider than half the kernel");
    }

    [Theory]
    [InlineData(DataType.UInt8, 1280, 7)]
    [InlineData(DataType.Int8, 64, 13)]
    public void GlobalAveragePoolMatchesManagedKernelExactly(DataType type, int channels, int size)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(channels + size);
        Tensor x = LlvmTestData.RandomQuantized(rng, type, new Shape(2, channels, size, size), Quantization.PerTensor(0.0235f, type == DataType.UInt8 ? 3 : -5));
        QLinearGlobalAvgPool op = new(type);
        TensorType outType = op.InferOutputs([x.Type])[0].WithQuant(Quantization.PerTensor(0.0191f, type == DataType.UInt8 ? 0 : 4));
        Tensor expected = LlvmTestData.Managed(op, outType, x);
        PreparedQLinearGlobalAvgPool kernel = PreparedQLinearGlobalAvgPool.TryCreate(x.Type, outType, out string? reason) ?? throw new InvalidOperationException(reason);
        LlvmTestData.AssertSameIntegers(expected, kernel.Run(x), $"{type} {channels}×{size}²");
    }

    [Fact]
    public void DepthwiseDeclinesRegularConvolutions()
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(3);
        Tensor x = LlvmTestData.RandomQuantized(rng, DataType.UInt8, new Shape(1, 4, 8, 8), Quantization.PerTensor(0.02f, 0));
        Tensor w = LlvmTestData.RandomQuantized(rng, DataType.Int8, new Shape(8, 4, 3, 3), Quantization.PerTensor(0.01f, 0));
        QLinearConv2d op = new(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One, 1, DataType.UInt8);
        TensorType outType = op.InferOutputs([x.Type, w.Type])[0].WithQuant(Quantization.PerTensor(0.05f, 0));
        Assert.Null(PreparedQLinearDepthwise.TryCreate(op, x.Type, w, null, outType, out string? reason));
        Assert.Contains("depthwise", reason, StringComparison.Ordinal);
    }

    private static void AssertDepthwise(Random rng, QLinearConv2d op, Shape shape, bool int8Data, bool withBias, string what)
    {
        int channels = shape[1];
        Quantization xq = Quantization.PerTensor(0.0176f, int8Data ? -9 : 114);
        Tensor x = LlvmTestData.RandomQuantized(rng, int8Data ? DataType.Int8 : DataType.UInt8, shape, xq);
        Quantization wq = int8Data
            ? Quantization.PerTensor(0.0173f, 121)
            : Quantization.PerChannel(Enumerable.Range(0, channels).Select(i => 0.002f + (0.0005f * (i % 17))), [0], 0);
        Tensor w = LlvmTestData.RandomQuantized(rng, int8Data ? DataType.UInt8 : DataType.Int8, new Shape(channels, 1, 3, 3), wq);
        Tensor[] inputs = withBias ? [x, w, LlvmTestData.RandomInt32(rng, new Shape(channels), 20000)] : [x, w];
        TensorType outType = op.InferOutputs([.. inputs.Select(t => t.Type)])[0].WithQuant(Quantization.PerTensor(0.0235f, int8Data ? 3 : 0));
        Tensor expected = LlvmTestData.Managed(op, outType, inputs);
        PreparedQLinearDepthwise kernel = PreparedQLinearDepthwise.TryCreate(op, x.Type, w, withBias ? inputs[2] : null, outType, out string? reason)
            ?? throw new InvalidOperationException(reason);
        LlvmTestData.AssertSameIntegers(expected, kernel.Run(x), what);
    }
}
