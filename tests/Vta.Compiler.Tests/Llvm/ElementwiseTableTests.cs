using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm.Kernels;

namespace Vta.Compiler.Tests.Llvm;

/// <summary>
/// TFLite quantized ADD/SUB as tables of the managed kernel's results, or as plain integer addition when the table is
/// exactly that: equal to the managed kernel on random tensors, and the cheaper form chosen only where it holds.
/// </summary>
public sealed class ElementwiseTableTests
{
    [Theory]
    // TVM's quantization of ResNet-18's residual adds: int8, one scale, zero point 0, ReLU → integer addition.
    [InlineData("add", DataType.Int8, 0.0625f, 0, 0.0625f, 0, 0.0625f, 0, FusedActivation.Relu, true)]
    // MobileNetV2's uint8 adds: three scales and zero points → the 65,536-entry table.
    [InlineData("add", DataType.UInt8, 0.40149295f, 136, 0.27583435f, 119, 0.43216896f, 133, FusedActivation.None, false)]
    [InlineData("sub", DataType.Int8, 0.05f, -3, 0.07f, 4, 0.09f, 1, FusedActivation.Relu6, false)]
    [InlineData("add", DataType.UInt8, 0.1f, 10, 0.1f, 10, 0.1f, 10, FusedActivation.None, true)]
    [InlineData("sub", DataType.UInt8, 0.1f, 10, 0.1f, 10, 0.1f, 10, FusedActivation.None, false)]
    public void MatchesManagedKernelExactly(string kind, DataType type, float sa, int za, float sb, int zb, float sy, int zy, FusedActivation act, bool integerSum)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(za + zb + zy + (kind.Length * 7));
        Shape shape = new(1, 64, 19, 21);
        Tensor a = LlvmTestData.RandomQuantized(rng, type, shape, Quantization.PerTensor(sa, za));
        Tensor b = LlvmTestData.RandomQuantized(rng, type, shape, Quantization.PerTensor(sb, zb));
        Op op = kind == "add" ? new Add(act) : new Sub(act);
        TensorType outType = new(type, shape, Quantization.PerTensor(sy, zy));
        PreparedBinary kernel = PreparedBinary.TryCreate(op, a.Type, b.Type, outType, out string? reason) ?? throw new InvalidOperationException(reason);
        Assert.Equal(integerSum, kernel.Definition is ElementwiseKernel { Op: ElementwiseOp.ClampedSum });
        Assert.Equal(!integerSum, kernel.Definition is LookupKernel { Binary: true });
        LlvmTestData.AssertSameIntegers(LlvmTestData.Managed(op, outType, a, b), kernel.Run(a, b), $"{kind} {type}");
    }
}
