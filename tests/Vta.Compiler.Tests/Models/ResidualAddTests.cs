using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Compiler.Passes;
using Vta.Compiler.Programs;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// Shortcut adds fused into the conv before them (<see cref="FuseResidualAdd"/>): the fused graph computes what the
/// unfused one did, and VTA (int32 shortcut loads into the ACC) equals it bit for bit.
/// </summary>
public class ResidualAddTests
{
    private const float Act = 1f / 16; // TVM's scheme: every activation at 2^-4, zero point 0

    [Theory]
    [InlineData(FusedActivation.None, 1f / 16)]
    [InlineData(FusedActivation.Relu, 1f / 16)]
    [InlineData(FusedActivation.Relu, 0.037f)]
    public void AnAddOfEqualScalesAndZeroPointZeroIsTheClampedIntegerSumForEveryPair(FusedActivation activation, float scale)
    {
        // Every (a, b) int8 pair once: the condition the fusion relies on, checked on the executor's own add kernel.
        var q = Quantization.PerTensor(scale, 0);
        var type = new TensorType(DataType.Int8, new Shape(1, 1, 256, 256), q);
        GraphBuilder b = new("add");
        b.AddInput("a", type);
        b.AddInput("b", type);
        b.AddNode("add", new Add(activation), ["a", "b"], "y", q);
        b.AddOutput("y");
        sbyte[] va = [.. Enumerable.Range(0, 65536).Select(i => (sbyte)((i >> 8) - 128))];
        sbyte[] vb = [.. Enumerable.Range(0, 65536).Select(i => (sbyte)((i & 255) - 128))];
        Tensor y = ReferenceExecutor.Run(b.Build(), new Dictionary<string, Tensor> { ["a"] = new(type, va), ["b"] = new(type, vb) })["y"];
        int lower = activation == FusedActivation.Relu ? 0 : sbyte.MinValue;
        Assert.Equal(va.Zip(vb, (x, z) => (sbyte)Math.Clamp(x + z, lower, sbyte.MaxValue)), y.As<sbyte>());
    }

    [Fact]
    public void BothAddsAreFusedAndTheFusedGraphComputesWhatTheUnfusedDid()
    {
        Graph original = ResidualNet(saturate: true);
        Graph lowered = new LowerQuantizedToVta(VtaConfig.Default).Run(original, new PassContext());
        Graph fused = new FuseResidualAdd().Run(lowered, new PassContext());

        Assert.Equal(lowered.Nodes.Count - 2, fused.Nodes.Count);
        Assert.DoesNotContain(fused.Nodes, n => n.Op is Add);
        Node conv2 = fused.GetNode("conv2"), conv3 = fused.GetNode("conv3");
        Assert.Equal(new ResidualClip(0, 127), ((VtaConv2d)conv2.Op).Residual);
        Assert.Equal(new ResidualClip(-128, 127), ((VtaConv2d)conv3.Op).Residual);
        Assert.Equal(["x", "y1"], new[] { conv2.Inputs[4], conv3.Inputs[4] });
        Assert.Equal("y1", conv2.Output);
        Assert.Null(((VtaConv2d)fused.GetNode("conv1").Op).Residual);

        // The unfused VTA form is the reference (it differs from the imported graph only at rounding ties, docs/quantization.md).
        var feeds = Feeds();
        Assert.Equal(ReferenceExecutor.Run(lowered, feeds)["y"].As<sbyte>(), ReferenceExecutor.Run(fused, feeds)["y"].As<sbyte>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnVtaTheFusedConvsLoadTheShortcutAsInt32AndMatchBitForBit(bool saturate)
    {
        Graph original = ResidualNet(saturate);
        CompiledModel m = ModelCompiler.Compile(original, VtaConfig.Default);
        Assert.Equal(["conv1", "conv2", "conv3"], m.VtaLayers.Select(l => l.Node.Name));
        Assert.Equal(["x", "y1"], m.VtaLayers.Skip(1).Select(l => l.Residual));
        Assert.Empty(m.Steps.OfType<CpuStep>());
        Assert.Equal(2, m.Program.Steps.OfType<WidenProgramStep>().Count());
        // A widened shortcut takes 4 bytes per element (int32), not one ACC vector's bytes per element.
        long vectorPerElement = m.Program.Steps.OfType<WidenProgramStep>().Max(w => w.Shape.Elements) * m.Config.AccElemBytes;
        Assert.True(m.Program.ActivationBytes < vectorPerElement, $"{m.Program.ActivationBytes} bytes of activations");

        var feeds = Feeds();
        using var device = new SimDevice(m.Config);
        ModelRunResult vta = m.Run(device, feeds, new ModelRunOptions { KeepValues = true });
        Dictionary<string, Tensor> plain = ReferenceExecutor.RunAll(m.Graph, feeds);
        foreach (string value in new[] { "h", "y1", "y" })
        {
            Assert.Equal(plain[value].As<sbyte>(), vta.Values![value].As<sbyte>());
        }
        Graph unfused = new LowerQuantizedToVta(VtaConfig.Default).Run(original, new PassContext());
        Assert.Equal(ReferenceExecutor.Run(unfused, feeds)["y"].As<sbyte>(), vta.Outputs["y"].As<sbyte>());

        // Each fused layer loads its whole shortcut into the ACC (the simulator counts AccElemBytes per ACC vector, as TVM's).
        foreach (VtaLayer layer in m.VtaLayers.Skip(1))
        {
            long shortcut = layer.Output.Elements / (m.Config.Batch * m.Config.BlockOut) * m.Config.AccElemBytes;
            long loaded = vta.Layers.Single(r => r.Name == layer.Node.Name).Counters.AccLoadNbytes;
            Assert.True(loaded >= shortcut, $"{layer.Node.Name}: {loaded} ACC bytes loaded, the shortcut alone is {shortcut}");
        }
    }

    [Fact]
    public void APackagedResidualModelRunsTheSameIntegers()
    {
        CompiledModel m = ModelCompiler.Compile(ResidualNet(saturate: true), VtaConfig.Default);
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".vtapkg");
        try
        {
            VtaPackage.FromModel(m, new PackageInfo("residual", null, DateTimeOffset.UnixEpoch, "tests", null, m.Notes)).Save(path);
            VtaPackage loaded = VtaPackage.Load(path);
            Assert.Equal(m.Graph.ToText(), loaded.Graph.ToText());
            Assert.Equal(m.Program.Steps.OfType<WidenProgramStep>(), loaded.Program.Steps.OfType<WidenProgramStep>());
            using var device = new SimDevice(m.Config);
            using var bound = new BoundProgram(loaded.Program, loaded.Graph, device);
            Assert.Equal(ReferenceExecutor.Run(m.Graph, Feeds())["y"].As<sbyte>(), bound.Run(Feeds()).Outputs["y"].As<sbyte>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnAddOfUnequalScalesOrAConvWithAnotherReaderIsLeftAlone()
    {
        Graph lowered = new LowerQuantizedToVta(VtaConfig.Default).Run(ResidualNet(saturate: false, addScale: Act * 2), new PassContext());
        Graph fused = new FuseResidualAdd().Run(lowered, new PassContext());
        Assert.Equal(2, fused.Nodes.Count(n => n.Op is Add));
        Assert.All(fused.Nodes.Select(n => n.Op).OfType<VtaConv2d>(), c => Assert.Null(c.Residual));

        Graph shared = new LowerQuantizedToVta(VtaConfig.Default).Run(ResidualNet(saturate: false, extraReader: true), new PassContext());
        Graph partly = new FuseResidualAdd().Run(shared, new PassContext());
        Assert.Null(((VtaConv2d)partly.GetNode("conv2").Op).Residual); // conv2's output is also a graph output
        Assert.NotNull(((VtaConv2d)partly.GetNode("conv3").Op).Residual);
    }

    private static Dictionary<string, Tensor> Feeds()
    {
        var random = new Random(5);
        var type = new TensorType(DataType.Int8, new Shape(1, 6, 6, 16), Quantization.PerTensor(Act, 0));
        return new() { ["x"] = new Tensor(type, Enumerable.Range(0, 576).Select(_ => (sbyte)random.Next(-128, 128)).ToArray()) };
    }

    /// <summary>
    /// int8 NHWC 6×6×16 at 2^-4: conv1 3×3 (relu) → conv2 3×3 → add(conv2, x) relu → y1; conv3 1×1 → add(conv3, y1) → y.
    /// Weights at 2^-7 (every requantization a pure shift). With <paramref name="saturate"/>
    /// the weights are large enough that conv outputs clip at ±127 before the add, where the order of add and clip matters.
    /// </summary>
    private static Graph ResidualNet(bool saturate, float addScale = Act, bool extraReader = false)
    {
        var random = new Random(11);
        var q = Quantization.PerTensor(Act, 0);
        GraphBuilder b = new("residual");
        b.AddInput("x", new TensorType(DataType.Int8, new Shape(1, 6, 6, 16), q));
        Conv(b, random, "conv1", "x", "h", 3, FusedActivation.Relu, saturate);
        Conv(b, random, "conv2", "h", "c2", 3, FusedActivation.None, saturate);
        b.AddNode("add1", new Add(FusedActivation.Relu), ["c2", "x"], "y1", Quantization.PerTensor(addScale, 0));
        Conv(b, random, "conv3", "y1", "c3", 1, FusedActivation.None, saturate);
        b.AddNode("add2", new Add(), ["c3", "y1"], "y", Quantization.PerTensor(addScale, 0));
        b.AddOutput("y");
        if (extraReader)
        {
            b.AddOutput("c2");
        }
        return b.Build();
    }

    private static void Conv(GraphBuilder b, Random random, string name, string input, string output, int k, FusedActivation act, bool saturate)
    {
        int range = saturate ? 127 : 12;
        b.AddConstant(name + "/w", Tensor.FromArray(new Shape(16, k, k, 16), Enumerable.Range(0, 16 * k * k * 16).Select(_ => (sbyte)random.Next(-range, range + 1)).ToArray(),
            Quantization.PerTensor(1f / 128, 0)));
        b.AddConstant(name + "/b", Tensor.FromArray(new Shape(16), Enumerable.Range(0, 16).Select(_ => random.Next(-2000, 2000)).ToArray()));
        b.AddNode(name, new Conv2d(Size2d.One, k == 3 ? new Pads2d(1, 1, 1, 1) : Pads2d.Zero, Size2d.One, 1, act, DataLayout.Nhwc, KernelLayout.Ohwi),
            [input, name + "/w", name + "/b"], output, Quantization.PerTensor(Act, 0));
    }
}
