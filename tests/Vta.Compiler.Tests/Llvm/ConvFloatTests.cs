using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm.Kernels;

namespace Vta.Compiler.Tests.Llvm;

public sealed class ConvFloatTests
{
    /// <summary>ResNet-18's first conv: 3→64, 7×7, stride 2, pad 3, 224² → 112².</summary>
    internal static (Conv2d Op, Tensor X, Tensor W, Tensor B, TensorType OutType) ResNet18FirstConv(Random rng, FusedActivation activation)
    {
        Conv2d op = new(new Size2d(2, 2), new Pads2d(3, 3, 3, 3), Size2d.One, 1, activation);
        Tensor x = LlvmTestData.RandomFloat(rng, new Shape(1, 3, 224, 224), 2.5f);
        Tensor w = LlvmTestData.RandomFloat(rng, new Shape(64, 3, 7, 7), 0.1f);
        Tensor b = LlvmTestData.RandomFloat(rng, new Shape(64), 0.5f);
        return (op, x, w, b, op.InferOutputs([x.Type, w.Type, b.Type])[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResNet18FirstConvMatchesManagedKernel(bool fused)
    {
        LlvmFact.SkipUnlessAvailable();
        (Conv2d op, Tensor x, Tensor w, Tensor b, TensorType outType) = ResNet18FirstConv(new Random(18), FusedActivation.None);
        Tensor expected = LlvmTestData.Managed(op, outType, x, w, b);
        PreparedConvFloat kernel = PreparedConvFloat.TryCreate(op, x.Type, w, b, outType, out string? reason, fused)
            ?? throw new InvalidOperationException(reason);
        Tensor actual = kernel.Run(x);
        if (fused)
        {
            // One rounding per multiply-add instead of two: outputs whose terms cancel move by more than 1e-5 of
            // themselves, so the fused variant (opt-in) is held to 1e-5 of the output's scale instead.
            LlvmTestData.AssertClose(expected, actual, "resnet18 conv1 fused", tolerance: 1e-5, floorFraction: 0.05);
        }
        else
        {
            LlvmTestData.AssertClose(expected, actual, "resnet18 conv1");
            // Same additions in the same order: equal (float equality also takes -0 for +0).
            Assert.Equal(expected.As<float>(), actual.As<float>());
        }
    }

    [Theory]
    [InlineData(1, 5, 9, 13, 3, 1, 1, 0)]
    [InlineData(2, 4, 17, 6, 3, 2, 0, 1)]
    [InlineData(1, 3, 31, 8, 5, 3, 2, 2)]
    [InlineData(1, 16, 7, 12, 1, 1, 0, 3)]
    public void OddShapesPaddingsAndActivationsMatch(int batch, int channels, int size, int outChannels, int k, int stride, int pad, int act)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(size + k + stride);
        Conv2d op = new(new Size2d(stride, stride), new Pads2d(pad, pad, pad + 1, pad), Size2d.One, 1, (FusedActivation)act);
        Tensor x = LlvmTestData.RandomFloat(rng, new Shape(batch, channels, size, size + 3), 3f);
        Tensor w = LlvmTestData.RandomFloat(rng, new Shape(outChannels, channels, k, k), 0.4f);
        TensorType outType = op.InferOutputs([x.Type, w.Type])[0];
        Tensor expected = LlvmTestData.Managed(op, outType, x, w);
        PreparedConvFloat kernel = PreparedConvFloat.TryCreate(op, x.Type, w, null, outType, out string? reason)
            ?? throw new InvalidOperationException(reason);
        Tensor actual = kernel.Run(x);
        LlvmTestData.AssertClose(expected, actual, $"conv {batch}x{channels}x{size} k{k} s{stride} p{pad}");
        Assert.Equal(expected.As<float>(), actual.As<float>());
    }
}
