using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Passes;
using Vta.Compiler.Tests.Infrastructure;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Models;

/// <summary>Which nodes go to VTA, decided from ops and configuration; forced CPU nodes; layers that cannot be tiled.</summary>
public class PartitionTests
{
    [Fact]
    public void ConvsAndDenseGoToVtaDepthwiseAndPoolingStayOnTheCpu()
    {
        CompiledModel m = ModelCompiler.Compile(SmallNet(), VtaConfig.Default);

        Assert.Equal(new[] { "conv0", "gconv", "conv3", "fc" }, m.VtaLayers.Select(l => l.Node.Name));
        Assert.Equal(ExecutionTarget.Cpu, ModelCompiler.TargetOf(m.Graph.GetNode("dw")));
        Assert.IsType<DepthwiseConv2d>(m.Graph.GetNode("dw").Op);
        Assert.IsType<AvgPool>(m.Graph.GetNode("pool").Op);
        Assert.Empty(m.Notes);
        AssertBitExact(m);
    }

    [Fact]
    public void AGroupedConvWithHalfABlockPerGroupStaysInItsOwnArithmeticAt1x32()
    {
        CompiledModel m = ModelCompiler.Compile(SmallNet(), TestConfigs.Get("1x32"));

        Assert.IsType<Conv2d>(m.Graph.GetNode("gconv").Op); // 16 channels per group, blocks of 32
        Assert.Equal(new[] { "conv0", "conv3", "fc" }, m.VtaLayers.Select(l => l.Node.Name));
        AssertBitExact(m);
    }

    [Fact]
    public void AForcedNodeRunsTheSameIntegersOnTheCpu()
    {
        Graph net = SmallNet();
        CompiledModel forced = ModelCompiler.Compile(net, VtaConfig.Default, new ModelCompileOptions { ForceCpu = ["conv3"] });

        Assert.Equal(ExecutionTarget.Cpu, ModelCompiler.TargetOf(forced.Graph.GetNode("conv3")));
        Assert.IsType<VtaConv2d>(forced.Graph.GetNode("conv3").Op);
        Assert.Equal(new[] { "conv0", "gconv", "fc" }, forced.VtaLayers.Select(l => l.Node.Name));
        Tensor a = AssertBitExact(forced);
        Tensor b = AssertBitExact(ModelCompiler.Compile(net, VtaConfig.Default));
        Assert.Equal(b.As<sbyte>(), a.As<sbyte>());
    }

    [Fact]
    public void AnUnknownForcedNodeIsAnError()
    {
        var e = Assert.Throws<GraphException>(() => ModelCompiler.Compile(SmallNet(), VtaConfig.Default, new ModelCompileOptions { ForceCpu = ["conv9"] }));
        Assert.Contains("conv9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayerThatCannotBeTiledFallsBackToTheCpuWithANote()
    {
        // An 8-element WGT buffer cannot hold the 9 taps of a 3×3 kernel; 1×1 convs and the dense still fit.
        CompiledModel m = ModelCompiler.Compile(SmallNet(), VtaConfig.Create(logWgtBuffSize: 11));

        string note = Assert.Single(m.Notes);
        Assert.StartsWith("conv3 runs on the CPU: ", note, StringComparison.Ordinal);
        Assert.Contains("WGT", note, StringComparison.Ordinal);
        Assert.Equal(ExecutionTarget.Cpu, ModelCompiler.TargetOf(m.Graph.GetNode("conv3")));
        Assert.Equal(new[] { "conv0", "gconv", "fc" }, m.VtaLayers.Select(l => l.Node.Name));
        AssertBitExact(m);
    }

    /// <summary>Runs on the simulator and checks the output against the plain int8 executor; returns it.</summary>
    private static Tensor AssertBitExact(CompiledModel m)
    {
        var feeds = new Dictionary<string, Tensor> { ["x"] = Input() };
        using var device = new SimDevice(m.Config);
        Tensor actual = m.Run(device, feeds).Outputs["y"];
        Tensor expected = ReferenceExecutor.Run(m.Graph, feeds)["y"];
        Assert.Equal(expected.As<sbyte>(), actual.As<sbyte>());
        return actual;
    }

    private static Tensor Input()
    {
        var random = new Random(3);
        return Tensor.FromArray(new Shape(1, 6, 6, 16), Enumerable.Range(0, 576).Select(_ => (sbyte)random.Next(-128, 128)).ToArray(), Quantization.PerTensor(0.1f, -128));
    }

    /// <summary>
    /// int8 NHWC 6×6×16 → conv0 1×1 → 32 (relu) → dw 3×3 depthwise → gconv 1×1, 2 groups of 16 → conv3 3×3 pad 1 → 16
    /// → pool (global average) → reshape → fc 16 → 10.
    /// </summary>
    internal static Graph SmallNet()
    {
        var random = new Random(7);
        GraphBuilder b = new("small");
        b.AddInput("x", new TensorType(DataType.Int8, new Shape(1, 6, 6, 16), Quantization.PerTensor(0.1f, -128)));
        Quantization act = Quantization.PerTensor(0.05f, -128);
        Conv(b, random, "conv0", "x", "c0", 32, 16, 1, 1, Pads2d.Zero, act, FusedActivation.Relu);
        b.AddConstant("dw/w", Weights(random, new Shape(1, 3, 3, 32)));
        b.AddConstant("dw/b", Tensor.FromArray(new Shape(32), Enumerable.Range(0, 32).Select(_ => random.Next(-50, 50)).ToArray()));
        b.AddNode("dw", new DepthwiseConv2d(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One, 1, FusedActivation.Relu, DataLayout.Nhwc, KernelLayout.Ihwo),
            ["c0", "dw/w", "dw/b"], "c1", act);
        Conv(b, random, "gconv", "c1", "c2", 32, 16, 1, 2, Pads2d.Zero, act, FusedActivation.Relu);
        Conv(b, random, "conv3", "c2", "c3", 16, 32, 3, 1, new Pads2d(1, 1, 1, 1), act, FusedActivation.None);
        b.AddNode("pool", new AvgPool(new Size2d(6, 6), Size2d.One, Pads2d.Zero, DataLayout.Nhwc), ["c3"], "p", act);
        b.AddNode("reshape", new Reshape(new Shape(1, 16)), ["p"], "r");
        b.AddConstant("fc/w", Weights(random, new Shape(10, 16)));
        b.AddNode("fc", new Dense(), ["r", "fc/w"], "y", Quantization.PerTensor(0.2f, 5));
        b.AddOutput("y");
        return b.Build();
    }

    private static void Conv(GraphBuilder b, Random random, string name, string input, string output, int co, int ciPerGroup, int k, int groups, Pads2d pads,
        Quantization outQ, FusedActivation act)
    {
        b.AddConstant(name + "/w", Weights(random, new Shape(co, k, k, ciPerGroup)));
        b.AddConstant(name + "/b", Tensor.FromArray(new Shape(co), Enumerable.Range(0, co).Select(_ => random.Next(-500, 500)).ToArray()));
        b.AddNode(name, new Conv2d(Size2d.One, pads, Size2d.One, groups, act, DataLayout.Nhwc, KernelLayout.Ohwi), [input, name + "/w", name + "/b"], output, outQ);
    }

    /// <summary>int8 weights with per-output-channel scales around 0.004 (multipliers well below 1).</summary>
    private static Tensor Weights(Random random, Shape shape)
    {
        int channels = shape.Rank == 2 ? shape[0] : shape[0] == 1 ? shape[3] : shape[0];
        int axis = shape.Rank == 2 || shape[0] != 1 ? 0 : 3;
        sbyte[] values = [.. Enumerable.Range(0, shape.ElementCount).Select(_ => (sbyte)random.Next(-127, 128))];
        float[] scales = [.. Enumerable.Range(0, channels).Select(_ => 0.002f + (0.004f * (float)random.NextDouble()))];
        return Tensor.FromArray(shape, values, Quantization.PerChannel(scales, [0], axis));
    }
}
