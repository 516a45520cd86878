using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Passes;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Xunit.Abstractions;
using static Vta.Compiler.Tests.Passes.QLinearTestGraphs;

namespace Vta.Compiler.Tests.Passes;

/// <summary>
/// ONNX QLinearConv / QLinearMatMul (+ bias QLinearAdd) lowered to the VTA form by <see cref="LowerQuantizedToVta"/>
/// (<see cref="QLinearLayers"/>): placement, bit-exactness of the simulator against the plain int8 executor, and the
/// error bound of docs/quantization.md against the model's own (ONNX Runtime) arithmetic, computed per output element.
/// </summary>
public class QLinearToVtaTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void ConvsWithWholeBlocksAndTheMatMulGoToVtaDepthwiseAndHalfBlockGroupsKeepTheirOps(bool uint8, bool perChannel)
    {
        Graph net = SmallNet(uint8, perChannel);
        CompiledModel m = ModelCompiler.Compile(net, VtaConfig.Default);

        Assert.Empty(m.Notes);
        Assert.Equal(new[] { "conv0", "gconv", "fc" }, m.VtaLayers.Select(l => l.Node.Name));
        Assert.IsType<VtaDense>(m.Graph.GetNode("fc").Op);
        Assert.DoesNotContain(m.Graph.Nodes, n => n.Name == "fc_add"); // the bias add is folded into the dense layer
        Assert.Equal(new[] { "dw", "ghalf" }, m.Graph.Nodes.Where(n => n.Op is QLinearConv2d).Select(n => n.Name));
        Assert.All(m.Graph.Nodes.Where(n => n.Op is QLinearOp), n => Assert.Equal(ExecutionTarget.Cpu, ModelCompiler.TargetOf(n)));

        var feeds = new Dictionary<string, Tensor> { ["x"] = RandomInput(5, uint8, net.TypeOf("x").Shape) };
        using var device = new SimDevice(m.Config);
        ModelRunResult run = m.Run(device, feeds, new ModelRunOptions { KeepValues = true });
        Dictionary<string, Tensor> plain = ReferenceExecutor.RunAll(m.Graph, feeds);
        foreach (VtaLayer layer in m.VtaLayers)
        {
            Assert.Equal(plain[layer.Node.Output].As<sbyte>(), run.Values![layer.Node.Output].As<sbyte>());
        }
        Assert.Equal(plain["y"].ToInt32Values(), run.Outputs["y"].ToInt32Values());
        Assert.Equal(net.TypeOf("y"), m.Graph.TypeOf("y"));
        // Not a degenerate net: the outputs spread over several values.
        Assert.True(plain["c0"].ToInt32Values().Distinct().Count() > 20 && plain["y"].ToInt32Values().Distinct().Count() > 3);
    }

    [Fact]
    public void AtBlocksOf32TheGroupedConvKeepsItsOwnArithmetic()
    {
        Graph net = SmallNet(uint8: true, perChannel: true);
        VtaConfig config = Infrastructure.TestConfigs.Get("1x32");
        CompiledModel m = ModelCompiler.Compile(net, config);

        Assert.IsType<QLinearConv2d>(m.Graph.GetNode("gconv").Op); // 16 channels per group, blocks of 32
        Assert.Equal(new[] { "conv0", "fc" }, m.VtaLayers.Select(l => l.Node.Name));
        var feeds = new Dictionary<string, Tensor> { ["x"] = RandomInput(6, true, net.TypeOf("x").Shape) };
        using var device = new SimDevice(config);
        Assert.Equal(ReferenceExecutor.Run(m.Graph, feeds)["y"].As<byte>(), m.Run(device, feeds).Outputs["y"].As<byte>());
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void AConvIsWithinTheDocumentedBoundOfOnnxArithmetic(bool uint8, bool perChannel)
    {
        var random = new Random(21);
        GraphBuilder b = new("conv");
        // A strided 3×3 conv with padding and a zero point that is not zero in int8 (the host pads with it).
        b.AddInput("x", new TensorType(Activation(uint8), new Shape(1, 16, 7, 7), Act(uint8, 0.03f, 9)));
        b.AddConstant("w", Weights(random, new Shape(32, 16, 3, 3), 0, perChannel));
        b.AddConstant("b", Tensor.FromArray(new Shape(32), Enumerable.Range(0, 32).Select(_ => random.Next(-20000, 20000)).ToArray()));
        float scale = OutputScale(0.03f, 144, firstLayer: true);
        b.AddNode("conv", new QLinearConv2d(new Size2d(2, 2), new Pads2d(1, 1, 1, 1), Size2d.One, 1, Activation(uint8)), ["x", "w", "b"], "y",
            Act(uint8, scale, -4));
        b.AddOutput("y");
        Graph graph = b.Build();

        (CompiledModel m, Dictionary<string, Tensor> feeds, int[] vta) = CompileAndRun(graph, uint8, seed: 8);
        var node = m.Graph.GetNode("conv");
        Assert.IsType<VtaConv2d>(node.Op);

        // Per element: Σ |x − zx| · |δ| over the window, δ = w' − (w − zw)·M·2^k the rounding of each VTA weight (a float conv).
        Tensor w = graph.ConstantOf("w")!;
        (float[] delta, int[] shifts) = WeightRounding(graph, m, node, w.ToInt32Values(), w.Quant!, graph.TypeOf("x").Quant!.Scale, scale);
        int zx = graph.TypeOf("x").Quant!.ZeroPoint;
        float[] absX = [.. feeds["x"].ToInt32Values().Select(v => (float)Math.Abs(v - zx))];
        GraphBuilder f = new("bound");
        f.AddInput("ax", new TensorType(DataType.Float32, new Shape(1, 16, 7, 7)));
        f.AddConstant("ad", Tensor.FromArray(new Shape(32, 16, 3, 3), delta));
        f.AddNode("c", new Conv2d(new Size2d(2, 2), new Pads2d(1, 1, 1, 1), Size2d.One), ["ax", "ad"], "s");
        f.AddOutput("s");
        float[] sums = ReferenceExecutor.Run(f.Build(), new Dictionary<string, Tensor> { ["ax"] = Tensor.FromArray(new Shape(1, 16, 7, 7), absX) })["s"].As<float>();

        int[] own = ReferenceExecutor.Run(graph, feeds)["y"].ToInt32Values();
        int plane = sums.Length / shifts.Length; // output pixels per channel (batch 1)
        double[] bound = [.. sums.Select((s, i) => 1 + ((s + 0.5) / Math.ScaleB(1.0, shifts[i / plane])))];
        AssertWithinBound(vta, own, bound);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void AMatMulAndItsBiasAddBecomeOneDenseWithinTheDocumentedBound(bool uint8, bool perChannel)
    {
        var random = new Random(31);
        GraphBuilder b = new("fc");
        b.AddInput("x", new TensorType(Activation(uint8), new Shape(3, 64), Act(uint8, 0.02f, -3)));
        MatMulWithBias(b, random, "fc", "x", "y", 24, uint8, perChannel, firstLayer: true);
        b.AddOutput("y");
        Graph graph = b.Build();

        (CompiledModel m, Dictionary<string, Tensor> feeds, int[] vta) = CompileAndRun(graph, uint8, seed: 9);
        Node node = Assert.Single(m.Graph.Nodes, n => n.Op is VtaDense);
        Assert.Equal("fc", node.Name);
        Assert.DoesNotContain(m.Graph.Nodes, n => n.Op is QLinearMatMul or QLinearAdd);

        // Weights as [U, K] for the rounding; the bound adds the add's own extra rounding and the bias rounded to accumulator units.
        Tensor wt = graph.ConstantOf("fc/w")!;
        int k = wt.Shape[0], units = wt.Shape[1];
        int[] kxu = wt.ToInt32Values();
        int[] uxk = [.. Enumerable.Range(0, units * k).Select(i => kxu[(i % k * units) + (i / k)])];
        Quantization wq = wt.Quant!.IsPerChannel ? Quantization.PerChannel(wt.Quant.Scales, wt.Quant.ZeroPoints, 0) : wt.Quant;
        TensorType x = graph.TypeOf("x"), mm = graph.TypeOf("fc/mm"), y = graph.TypeOf("y");
        (float[] delta, int[] shifts) = WeightRounding(graph, m, node, uxk, wq, x.Quant!.Scale, y.Quant!.Scale);
        int[] xs = feeds["x"].ToInt32Values();
        Dictionary<string, Tensor> original = ReferenceExecutor.RunAll(graph, feeds);
        int[] intermediate = original["fc/mm"].ToInt32Values();
        Assert.DoesNotContain(intermediate, v => v == mm.DType.MinValue() || v == mm.DType.MaxValue()); // the fused form does not clip there
        double ownRounding = 0.5 + (0.5 * mm.Quant!.Scale / y.Quant.Scale);
        double[] bound = new double[vta.Length];
        for (int i = 0; i < bound.Length; i++)
        {
            int row = i / units, u = i % units;
            double s = Enumerable.Range(0, k).Sum(j => Math.Abs(xs[(row * k) + j] - x.Quant.ZeroPoint) * (double)delta[(u * k) + j]);
            double multiplier = (double)x.Quant.Scale * wq.ScaleAt(u) / y.Quant.Scale;
            bound[i] = 0.5 + ((s + 0.5) / Math.ScaleB(1.0, shifts[u])) + (0.5 * multiplier) + ownRounding;
        }
        AssertWithinBound(vta, original["y"].ToInt32Values(), bound);
    }

    [Fact]
    public void AMatMulWhoseOutputHasAnotherReaderKeepsItsAdd()
    {
        var random = new Random(41);
        GraphBuilder b = new("fc");
        b.AddInput("x", new TensorType(DataType.UInt8, new Shape(1, 32), Act(true, 0.02f, 0)));
        MatMulWithBias(b, random, "fc", "x", "y", 16, uint8: true, perChannel: true, firstLayer: true);
        b.AddOutput("y");
        b.AddOutput("fc/mm");
        Graph graph = b.Build();

        CompiledModel m = ModelCompiler.Compile(graph, VtaConfig.Default);
        Assert.IsType<VtaDense>(m.Graph.GetNode("fc").Op);
        Assert.IsType<QLinearAdd>(m.Graph.GetNode("fc_add").Op);
        var feeds = new Dictionary<string, Tensor> { ["x"] = RandomInput(3, true, new Shape(1, 32)) };
        using var device = new SimDevice(m.Config);
        ModelRunResult run = m.Run(device, feeds);
        IReadOnlyDictionary<string, Tensor> plain = ReferenceExecutor.Run(m.Graph, feeds);
        Assert.Equal(plain["y"].As<byte>(), run.Outputs["y"].As<byte>());
        Assert.Equal(plain["fc/mm"].As<byte>(), run.Outputs["fc/mm"].As<byte>());
    }

    [Fact]
    public void AMultiplierBeyondTheEpilogueKeepsTheQLinearConvWithANote()
    {
        // M = 1 · 1 / 0.25 = 4: even unshifted, weights up to 100 would need 400 (int8 holds 127).
        GraphBuilder b = new("big");
        b.AddInput("x", new TensorType(DataType.UInt8, new Shape(1, 16, 2, 2), Quantization.PerTensor(1f, 128)));
        var random = new Random(51);
        b.AddConstant("w", Tensor.FromArray(new Shape(16, 16, 1, 1), Enumerable.Range(0, 256).Select(_ => (sbyte)random.Next(-100, 101)).ToArray(),
            Quantization.PerTensor(1f, 0)));
        b.AddNode("conv", new QLinearConv2d(Size2d.One, Pads2d.Zero, Size2d.One, 1, DataType.UInt8), ["x", "w"], "y", Quantization.PerTensor(0.25f, 128));
        b.AddOutput("y");
        Graph graph = b.Build();

        CompiledModel m = ModelCompiler.Compile(graph, VtaConfig.Default);

        string note = Assert.Single(m.Notes);
        output.WriteLine(note);
        Assert.StartsWith("conv (qlinear_conv2d) keeps its own arithmetic: ", note, StringComparison.Ordinal);
        Assert.Contains("exceeds 127", note, StringComparison.Ordinal);
        Assert.IsType<QLinearConv2d>(m.Graph.GetNode("conv").Op);
        Assert.Empty(m.VtaLayers);
        var feeds = new Dictionary<string, Tensor> { ["x"] = RandomInput(4, true, new Shape(1, 16, 2, 2)) };
        using var device = new SimDevice(m.Config);
        Assert.Equal(ReferenceExecutor.Run(graph, feeds)["y"].As<byte>(), m.Run(device, feeds).Outputs["y"].As<byte>());
    }

    /// <summary>Compiles for the default configuration, runs a random input on the simulator, and checks it against the plain int8 executor.</summary>
    private static (CompiledModel Model, Dictionary<string, Tensor> Feeds, int[] Vta) CompileAndRun(Graph graph, bool uint8, int seed)
    {
        CompiledModel m = ModelCompiler.Compile(graph, VtaConfig.Default);
        Assert.Empty(m.Notes);
        var feeds = new Dictionary<string, Tensor> { ["x"] = RandomInput(seed, uint8, graph.TypeOf("x").Shape) };
        using var device = new SimDevice(m.Config);
        int[] vta = m.Run(device, feeds).Outputs["y"].ToInt32Values();
        Assert.Equal(ReferenceExecutor.Run(m.Graph, feeds)["y"].ToInt32Values(), vta);
        return (m, feeds, vta);
    }

    /// <summary>
    /// |δ| = |w' − (w − zw)·M_c·2^k_c| for every weight (channel-major), from the VTA node's weights and shifts and the multipliers
    /// recomputed here from the scales; and the shifts.
    /// </summary>
    private static (float[] Delta, int[] Shifts) WeightRounding(Graph source, CompiledModel m, Node node, int[] weights, Quantization wq, float inputScale, float outputScale)
    {
        int[] vtaWeights = m.Graph.ConstantOf(node.Inputs[1])!.ToInt32Values();
        int[] shifts = m.Graph.ConstantOf(node.Inputs[3])!.ToInt32Values();
        int perChannel = weights.Length / shifts.Length;
        float[] delta = new float[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            int c = i / perChannel;
            double ideal = (weights[i] - wq.ZeroPointAt(c)) * ((double)inputScale * wq.ScaleAt(c) / outputScale) * Math.ScaleB(1.0, shifts[c]);
            delta[i] = (float)Math.Abs(vtaWeights[i] - ideal);
            Assert.True(delta[i] <= 0.5 + 1e-9, $"weight {i} of {source.Name}: |δ| {delta[i]} above half a step");
        }
        return (delta, shifts);
    }

    private void AssertWithinBound(int[] vta, int[] own, double[] bound)
    {
        int worst = 0, differing = 0;
        double tightest = double.MaxValue;
        for (int i = 0; i < vta.Length; i++)
        {
            int d = Math.Abs(vta[i] - own[i]);
            worst = Math.Max(worst, d);
            differing += d == 0 ? 0 : 1;
            tightest = Math.Min(tightest, bound[i] - d);
            Assert.True(d <= bound[i] + 1e-3, $"element {i}: VTA {vta[i]}, own {own[i]}, bound {bound[i]:F3}");
        }
        output.WriteLine($"max |VTA − own| {worst} steps, {differing} of {vta.Length} differ, bound {bound.Min():F2}..{bound.Max():F2}, least margin {tightest:F2}");
        Assert.True(own.Distinct().Count() > 10, "degenerate outputs");
    }
}
