using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm;
using Vta.Compiler.Llvm.Kernels;
using Vta.Compiler.Llvm.Native;

namespace Vta.Compiler.Tests.Llvm;

public sealed class BindingAndTargetTests
{
    private static readonly KernelDefinition[] s_boardKernels =
    [
        new DepthwiseConvQ8Kernel(1, 32, new WindowGeometry(112, 112, 3, 3, 1, 1, 1, 1, 1, 1, 112, 112), false, false),
        new ConvFloatKernel(1, 3, 64, new WindowGeometry(224, 224, 7, 7, 2, 2, 1, 1, 3, 3, 112, 112), float.NegativeInfinity, float.PositiveInfinity, 4, false),
        new SoftmaxKernel(1, 1001, 1f),
    ];

    [Fact]
    public void LibraryLoadsAndReportsTheHost()
    {
        Assert.True(LlvmLibrary.TryLoad(out string? reason), reason);
        Assert.Null(reason);
        CodeTarget host = CodeTarget.Host;
        Assert.False(string.IsNullOrEmpty(host.Triple));
        Assert.False(string.IsNullOrEmpty(host.Cpu));
        Assert.True(host.VectorBits >= 128);
    }

    [Fact]
    public void GeneratedIrIsVerifiedAndVectorizedAtO3()
    {
        LlvmFact.SkipUnlessAvailable();
        KernelDefinition dense = new DenseKernel(1, 64, 256, KernelElement.Float32, false, 0f, float.PositiveInfinity);
        string plain = LlvmCompiler.EmitIr(dense, CodeTarget.Host, optimize: false);
        string optimized = LlvmCompiler.EmitIr(dense, CodeTarget.Host, optimize: true);
        Assert.Contains($"define void @{dense.Symbol}(float* noalias", plain);
        Assert.DoesNotContain("x float>", plain);
        // The loop vectorizer widened the unit loop: vector loads of floats appear.
        Assert.Matches(@"load <\d+ x float>", optimized);
    }

    [Theory]
    [InlineData(CodeTarget.Pynq, ElfSymbols.MachineArm, false)]
    [InlineData(CodeTarget.Ultra96, ElfSymbols.MachineAArch64, true)]
    [InlineData("x86_64-linux-gnu", ElfSymbols.MachineX86_64, true)]
    public void ObjectFilesForBoardsHoldTheKernelSymbols(string triple, int machine, bool is64)
    {
        LlvmFact.SkipUnlessAvailable();
        byte[] elf = LlvmCompiler.CompileToObject(s_boardKernels, CodeTarget.ForTriple(triple));
        ElfSymbols symbols = ElfSymbols.Read(elf);
        Assert.Equal(machine, symbols.Machine);
        Assert.Equal(is64, symbols.Is64);
        Assert.Equal(s_boardKernels.Select(k => k.Symbol).Order(), symbols.DefinedFunctions.Order());
    }

    [Fact]
    public void ASecondCompileOfTheSameKernelIsServedFromTheCache()
    {
        LlvmFact.SkipUnlessAvailable();
        // A shape no other test uses, so this test alone decides whether it was compiled before.
        QLinearMatMulKernel first = new(12_345, 3, 5, true, false), again = new(12_345, 3, 5, true, false);
        CompiledKernel a = KernelCache.Get(first);
        int compilations = KernelCache.Compilations, diskHits = KernelCache.DiskHits;
        CompiledKernel b = KernelCache.Get(again);
        Assert.Same(a, b);
        Assert.Equal(compilations, KernelCache.Compilations);
        Assert.Equal(diskHits, KernelCache.DiskHits);
        Assert.True(KernelCache.Contains(again));
        Assert.NotEqual(first.Key, new QLinearMatMulKernel(12_346, 3, 5, true, false).Key);
    }

    [Fact]
    public void UnsupportedOpsAreDeclinedWithAReason()
    {
        LlvmFact.SkipUnlessAvailable();
        DepthwiseConv2d nchw = new(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One);
        TensorType data = new(DataType.UInt8, new Shape(1, 8, 5, 5), Quantization.PerTensor(0.1f, 0));
        Tensor w = Tensor.FromInt32Values(new TensorType(DataType.UInt8, new Shape(8, 1, 3, 3), Quantization.PerTensor(0.1f, 0)), new int[72]);
        Assert.Null(PreparedDepthwiseConvQ8.TryCreate(nchw, data, w, null, data, out string? reason));
        Assert.Contains("NHWC", reason);
    }
}
