using System.Runtime.InteropServices;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.ModelZoo;
using Vta.Compiler.Passes;
using Xunit.Abstractions;

namespace Vta.Compiler.Tests.Zoo;

/// <summary>The built-in ResNets: Gluon resnet*_v1 structure, parameter counts, seeded weights, sane activations.</summary>
public class ZooTests(ITestOutputHelper output)
{
    // Building calibrates every batch norm (seconds each in a Debug build): hold the seed-0 models for the whole class.
    private static readonly Dictionary<string, Lazy<Graph>> Models = ModelZoo.Zoo.Names.ToDictionary(n => n, n => new Lazy<Graph>(() => ModelZoo.Zoo.Build(n)));

    [Theory]
    [InlineData("resnet18", 20, 17, 8, 11_689_512)]
    [InlineData("resnet34", 36, 33, 16, 21_797_672)]
    [InlineData("resnet50", 53, 49, 16, 25_575_912)]
    public void HasGluonResNetV1Structure(string name, int convs, int relus, int adds, long parameters)
    {
        Graph g = Models[name].Value;
        Assert.Same(g, ModelZoo.Zoo.Build("ZOO:" + name.ToUpperInvariant()));
        Dictionary<Type, int> ops = g.Nodes.GroupBy(n => n.Op.GetType()).ToDictionary(x => x.Key, x => x.Count());
        Assert.Equal(convs, ops[typeof(Conv2d)]);
        Assert.Equal(convs, ops[typeof(BatchNorm)]);
        Assert.Equal(relus, ops[typeof(Relu)]);
        Assert.Equal(adds, ops[typeof(Add)]);
        Assert.Equal(1, ops[typeof(MaxPool)]);
        Assert.Equal(1, ops[typeof(GlobalAvgPool)]);
        Assert.Equal(1, ops[typeof(Flatten)]);
        Assert.Equal(1, ops[typeof(Dense)]);
        Assert.Equal(8, ops.Count);
        // Trainable parameters as the model zoos count them (BN running statistics excluded).
        Assert.Equal(parameters, g.Constants.Where(c => !c.Key.Contains("running", StringComparison.Ordinal)).Sum(c => (long)c.Value.Length));

        Assert.Equal(["data"], g.Inputs);
        Assert.Equal(new TensorType(DataType.Float32, new Shape(1, 3, 224, 224)), g.TypeOf("data"));
        Assert.Equal(["dense0"], g.Outputs);
        Assert.Equal(new Shape(1, 1000), g.TypeOf("dense0").Shape);
        int width = name == "resnet50" ? 4 : 1;
        Assert.Equal(new Shape(1, 64 * width, 56, 56), StageOutput(g, 1));
        Assert.Equal(new Shape(1, 128 * width, 28, 28), StageOutput(g, 2));
        Assert.Equal(new Shape(1, 256 * width, 14, 14), StageOutput(g, 3));
        Assert.Equal(new Shape(1, 512 * width, 7, 7), StageOutput(g, 4));
        Assert.All(g.Nodes.Where(n => n.Op is Conv2d), n => Assert.Equal(FusedActivation.None, ((Conv2d)n.Op).Activation));
    }

    [Fact]
    public void ResNet18StemAndDownsamplesMatchGluon()
    {
        Graph g = Models["resnet18"].Value;
        Conv2d stem = (Conv2d)g.GetNode("conv0").Op;
        Assert.Equal(new Conv2d(new Size2d(2, 2), new Pads2d(3, 3, 3, 3), Size2d.One), stem);
        Assert.Equal(new Shape(64, 3, 7, 7), g.TypeOf(g.GetNode("conv0").Inputs[1]).Shape);
        Assert.Equal(2, g.GetNode("conv0").Inputs.Count); // no bias, as Gluon's use_bias=False
        Assert.Equal(new MaxPool(new Size2d(3, 3), new Size2d(2, 2), new Pads2d(1, 1, 1, 1)), g.GetNode("pool0").Op);
        Assert.Equal(new Shape(1, 64, 56, 56), g.TypeOf("pool0").Shape);
        // Stage 1 keeps 64 channels: no downsample. Stages 2-4 open with a 1x1 stride-2 conv + BN on the shortcut.
        Assert.DoesNotContain(g.Nodes, n => n.Name == "stage1_conv4");
        foreach (int stage in new[] { 2, 3, 4 })
        {
            Node down = g.GetNode($"stage{stage}_conv2");
            Assert.Equal(new Conv2d(new Size2d(2, 2), Pads2d.Zero, Size2d.One), down.Op);
            Assert.Equal(1, g.TypeOf(down.Inputs[1]).Shape[3]);
            Assert.Equal($"stage{stage}_batchnorm2", g.ConsumersOf(down.Output).Single().Name);
            Assert.Equal(new Conv2d(new Size2d(2, 2), new Pads2d(1, 1, 1, 1), Size2d.One), g.GetNode($"stage{stage}_conv0").Op);
        }
    }

    [Fact]
    public void ResNet50BottlenecksPutTheStrideOnTheFirst1x1WithBias()
    {
        Graph g = Models["resnet50"].Value;
        Node first = g.GetNode("stage2_conv0");
        Assert.Equal(new Conv2d(new Size2d(2, 2), Pads2d.Zero, Size2d.One), first.Op);
        Assert.Equal(new Shape(128, 256, 1, 1), g.TypeOf(first.Inputs[1]).Shape);
        Assert.Equal(3, first.Inputs.Count);
        Assert.Equal(2, g.GetNode("stage2_conv1").Inputs.Count); // the 3x3 has no bias
        Assert.Equal(3, g.GetNode("stage2_conv2").Inputs.Count);
        // Stage 1 changes 64 -> 256 channels, so its first block has a (stride-1) downsample too.
        Assert.Equal(new Conv2d(Size2d.One, Pads2d.Zero, Size2d.One), g.GetNode("stage1_conv3").Op);
    }

    /// <summary>
    /// Pinned values: the generator is fixed (xoshiro256**), so seed 0 gives these weights on every platform and
    /// runtime; any change to the builder that alters the weights shows up here. Running statistics come from float
    /// convolutions on the calibration image, so they are pinned to 1e-4 (a kernel's summation order may change).
    /// </summary>
    [Fact]
    public void SeedZeroWeightsArePinned()
    {
        Graph g = Models["resnet18"].Value;
        Assert.Equal(PinnedConv0, g.Constants["conv0_weight"].As<float>().Take(4));
        float[] runningVar = g.Constants["stage4_batchnorm1_running_var"].As<float>();
        for (int i = 0; i < PinnedRunningVar.Length; i++)
        {
            Assert.True(Math.Abs(runningVar[i] - PinnedRunningVar[i]) <= 1e-4 * PinnedRunningVar[i], $"running var {i}: {runningVar[i]:R}");
        }
    }

    [Fact]
    public void OtherSizesShareTheWeightsAndOtherSeedsDoNot()
    {
        Graph a = Models["resnet18"].Value;
        Graph small = ModelZoo.Zoo.Build("resnet18", seed: 0, batch: 2, imageSize: 96);
        Assert.Equal(new Shape(2, 3, 96, 96), small.TypeOf("data").Shape);
        Assert.Equal(new Shape(2, 512, 3, 3), small.TypeOf("stage4_activation1").Shape);
        Assert.Equal(new Shape(2, 1000), small.TypeOf("dense0").Shape);
        Assert.Equal(a.Constants.Keys.Order(), small.Constants.Keys.Order());
        Assert.All(a.Constants, c => Assert.True(Bits(c.Value).SequenceEqual(Bits(small.Constants[c.Key])), c.Key));
        Graph other = ModelZoo.Zoo.Build("resnet18", seed: 1, imageSize: 64);
        Assert.False(Bits(a.Constants["conv0_weight"]).SequenceEqual(Bits(other.Constants["conv0_weight"])));
        Assert.False(Bits(a.Constants["stage4_batchnorm1_running_var"]).SequenceEqual(Bits(other.Constants["stage4_batchnorm1_running_var"])));
    }

    /// <summary>
    /// Running statistics are plausible: on a fresh random input (not the calibration one) every batch norm output
    /// stays near zero mean and O(1) spread, and the logits are finite and spread out. Run at 112 x 112 to stay quick.
    /// </summary>
    [Fact]
    public void ActivationsStayInASaneRange()
    {
        Graph g = ModelZoo.Zoo.Build("resnet18", imageSize: 112);
        Dictionary<string, Tensor> values = ReferenceExecutor.RunAll(g, new Dictionary<string, Tensor> { ["data"] = RandomInput(g, 5) });
        foreach (Node bn in g.Nodes.Where(n => n.Op is BatchNorm))
        {
            (double mean, double std) = Moments(values[bn.Output].As<float>());
            Assert.True(Math.Abs(mean) < 0.5 && std > 0.1 && std < 5, $"{bn.Name}: mean {mean:F3}, std {std:F3}");
        }
        float[] logits = values["dense0"].As<float>();
        (double m, double s) = Moments(logits);
        output.WriteLine($"logits mean {m:F3} std {s:F3} max {logits.Max():F3}");
        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
        Assert.InRange(s, 0.3, 10);
    }

    [Fact]
    public void FoldsBatchNormsIntoTheConvolutions()
    {
        Graph g = ModelZoo.Zoo.Build("resnet18", imageSize: 64);
        Graph folded = new PassManager(new FoldBatchNorm(), new DeadCodeElimination()).Run(g, new PassContext());
        Assert.DoesNotContain(folded.Nodes, n => n.Op is BatchNorm);
        Dictionary<string, Tensor> inputs = new() { ["data"] = RandomInput(g, 6) };
        float[] expected = ReferenceExecutor.Run(g, inputs)["dense0"].As<float>();
        float[] actual = ReferenceExecutor.Run(folded, inputs)["dense0"].As<float>();
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-3 * expected.Max(Math.Abs), $"max |diff| {worst}");
    }

    [Theory]
    [InlineData("resnet101")]
    [InlineData("zoo:")]
    [InlineData("mobilenet")]
    public void UnknownNamesListTheKnownOnes(string name)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ModelZoo.Zoo.Build(name));
        Assert.Contains("zoo:resnet18, zoo:resnet34, zoo:resnet50", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesAreCaseInsensitiveWithOrWithoutPrefix()
    {
        Assert.True(ModelZoo.Zoo.IsZooName("ZOO:ResNet18"));
        Assert.False(ModelZoo.Zoo.IsZooName("resnet18.onnx"));
        Assert.Equal("resnet18", ModelZoo.Zoo.Build("ZOO:ResNet18", imageSize: 32).Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelZoo.Zoo.Build("resnet18", batch: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelZoo.Zoo.Build("resnet18", imageSize: 16));
    }

    private static readonly float[] PinnedConv0 = [-0.0699802f, -0.13342679f, 0.012761018f, 0.029352278f];

    private static readonly float[] PinnedRunningVar = [0.12994453f, 0.46062222f];

    private static Shape StageOutput(Graph g, int stage) =>
        g.TypeOf(g.Nodes.Last(n => n.Name.StartsWith($"stage{stage}_activation", StringComparison.Ordinal)).Output).Shape;

    private static Tensor RandomInput(Graph g, int seed)
    {
        Random r = new(seed);
        Shape shape = g.TypeOf("data").Shape;
        float[] v = new float[shape.ElementCount];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));
        }
        return Tensor.FromArray(shape, v);
    }

    private static (double Mean, double Std) Moments(float[] v)
    {
        double mean = v.Average();
        return (mean, Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average()));
    }

    private static ReadOnlySpan<byte> Bits(Tensor t) => MemoryMarshal.AsBytes(t.As<float>().AsSpan());
}
