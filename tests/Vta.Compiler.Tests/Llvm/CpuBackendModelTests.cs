using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm;
using Vta.Compiler.Models;
using Vta.Compiler.Tests.Models;
using Vta.Frontend;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Xunit.Abstractions;

namespace Vta.Compiler.Tests.Llvm;

/// <summary>
/// The CPU nodes of every shared model's partitioned graph (and of the float zoo ResNet-18) through the LLVM back end
/// against the managed kernels: integers equal, floats within 1e-5 relative. Nodes with the same op and input types
/// are checked once (same kernel, same code).
/// </summary>
public class CpuBackendModelTests(ITestOutputHelper output)
{
    /// <summary>
    /// Node kinds the LLVM back end leaves to the managed kernels on purpose: views sharing their input's array.
    /// </summary>
    private static readonly HashSet<string> ManagedOnPurpose = ["reshape", "flatten"];

    [Theory]
    [InlineData("imagenet/mobilenet_v2_1.0_224_quant.tflite")]
    [InlineData("imagenet/mobilenetv2-12-int8.onnx")]
    [InlineData("mlperf-tiny/pretrainedResnet_quant.tflite")]
    [InlineData("mlperf-tiny/kws_ref_model.tflite")]
    [InlineData("zoo:resnet18")]
    public void EveryCpuNodeMatchesTheManagedKernel(string model)
    {
        LlvmFact.SkipUnlessAvailable();
        Graph source = ModelLoader.Load(model.StartsWith("zoo:", StringComparison.Ordinal) ? model : SharedModels.PathOf(model));
        CompiledModel compiled = ModelCompiler.Compile(source, VtaConfig.Default);
        Graph g = compiled.Graph;
        IPreparedCpu llvm = compiled.PrepareCpu(LlvmCpuBackend.Instance);
        Assert.Same(llvm, compiled.PrepareCpu(LlvmCpuBackend.Instance));
        Dictionary<string, CpuNodePlan> plans = llvm.Plans.ToDictionary(p => p.Node);

        var rng = new Random(6);
        var seen = new HashSet<string>();
        int compared = 0;
        foreach (Node node in compiled.Steps.OfType<CpuStep>().Select(s => s.Node))
        {
            CpuNodePlan plan = plans[node.Name];
            if (plan.IsManaged)
            {
                Assert.True(ManagedOnPurpose.Contains(node.Op.Kind), $"{node.Name} ({node.Op.Kind}) stays managed: {plan.Reason}");
                continue;
            }

            if (!seen.Add(node.Op + "|" + string.Join(",", node.Inputs.Select(i => g.TypeOf(i).ToString() + (g.ConstantOf(i) is null ? "" : "#" + i)))))
            {
                continue;
            }

            Tensor[] inputs = [.. node.Inputs.Select(i => g.ConstantOf(i) ?? RandomOf(rng, g.TypeOf(i)))];
            Tensor expected = OpEvaluator.Evaluate(node.Op, inputs, [g.TypeOf(node.Outputs[0])])[0];
            Tensor actual = llvm.Run(node, inputs)[0];
            // The caller-owned output: the kernel writes into it (same values as the allocating form, bit for bit).
            Tensor into = Tensor.Zeros(g.TypeOf(node.Outputs[0]));
            llvm.RunInto(node, inputs, into);
            Assert.True(actual.AsBytes().SequenceEqual(into.AsBytes()), $"{model} {node.Name}: RunInto differs from Run");
            if (expected.DType == DataType.Float32)
            {
                LlvmTestData.AssertClose(expected, actual, $"{model} {node.Name}");
            }
            else
            {
                LlvmTestData.AssertSameIntegers(expected, actual, $"{model} {node.Name}");
            }

            compared++;
        }

        output.WriteLine($"{model}: {plans.Count} CPU nodes, {plans.Values.Count(p => !p.IsManaged)} on LLVM kernels, {compared} distinct ones compared; " +
            $"managed: {string.Join(", ", plans.Values.Where(p => p.IsManaged).Select(p => p.Kind).Distinct())}; prepared in {llvm.PrepareSeconds:0.00} s");
        Assert.True(compared > 0);
    }

    [Fact]
    public void AWholeModelRunGivesTheSameValuesOnBothBackEnds()
    {
        LlvmFact.SkipUnlessAvailable();
        Graph source = ModelLoader.Load(SharedModels.PathOf(SharedModels.ResNet8));
        CompiledModel compiled = ModelCompiler.Compile(source, VtaConfig.Default);
        var feeds = SharedModels.GoldenInput(source, "ic_resnet8_chelsea32.in.s8");
        using var device = new SimDevice(VtaConfig.Default);
        ModelRunResult managed = compiled.Run(device, feeds, new ModelRunOptions { KeepValues = true, CpuBackend = ManagedCpuBackend.Instance });
        IPreparedCpu prepared = compiled.PrepareCpu(LlvmCpuBackend.Instance);
        ModelRunResult llvm = compiled.Run(device, feeds, new ModelRunOptions { KeepValues = true, PreparedCpu = prepared });

        foreach ((string name, Tensor value) in managed.Values!)
        {
            LlvmTestData.AssertSameIntegers(value, llvm.Values![name], name);
        }

        Assert.Contains(prepared.Plans, p => !p.IsManaged);
    }

    [Fact]
    public void TheFactoryFallsBackToManagedWithOneLineAndRefusesUnknownNames()
    {
        var lines = new List<string>();
        ICpuBackend backend = CpuBackends.Create("llvm", lines.Add);
        if (Vta.Compiler.Llvm.Native.LlvmLibrary.TryLoad(out string? reason))
        {
            Assert.Same(LlvmCpuBackend.Instance, backend);
            Assert.Empty(lines);
        }
        else
        {
            Assert.Same(ManagedCpuBackend.Instance, backend);
            Assert.Equal(reason, Assert.Single(lines).Split(';')[0].Replace("vta: note: ", "", StringComparison.Ordinal));
        }

        Assert.Same(ManagedCpuBackend.Instance, CpuBackends.Create("Managed", lines.Add));
        Assert.Contains("'gpu'", Assert.Throws<ArgumentException>(() => CpuBackends.Create("gpu")).Message, StringComparison.Ordinal);
    }

    private static Tensor RandomOf(Random rng, TensorType type) => type.DType switch
    {
        DataType.Float32 => LlvmTestData.RandomFloat(rng, type.Shape, 4f),
        DataType.Int32 => LlvmTestData.RandomInt32(rng, type.Shape, 1 << 16),
        _ => LlvmTestData.RandomQuantized(rng, type.DType, type.Shape, type.Quant!),
    };
}
