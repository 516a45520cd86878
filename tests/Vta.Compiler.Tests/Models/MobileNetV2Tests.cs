using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Hardware.Config;
using Xunit.Abstractions;

namespace Vta.Compiler.Tests.Models;

/// <summary>MobileNetV2 uint8 on the golden cat input, compiled for the default configuration, run once for the class.</summary>
public sealed class MobileNetV2Fixture
{
    public ModelCase Case { get; } = new(SharedModels.MobileNetV2, "mnv2q_resized_cat.in.u8", "mnv2q_resized_cat.out.u8", VtaConfig.Default);
}

public class MobileNetV2Tests(MobileNetV2Fixture fixture, ITestOutputHelper output) : IClassFixture<MobileNetV2Fixture>
{
    private ModelCase Case => fixture.Case;

    [Fact]
    public void VtaPathEqualsThePlainInt8ExecutorOnEveryVtaLayerAndTheOutput()
    {
        Assert.Empty(Case.MismatchingLayers());
        Assert.Equal(Case.Plain[Case.Source.Outputs[0]].As<byte>(), Case.VtaOutput.As<byte>());
    }

    [Fact]
    public void ClassifiesTheCatAsTheGoldenAndStaysCloseToTheModelsOwnArithmetic()
    {
        output.WriteLine(Case.Report("MobileNetV2 uint8"));
        OutputComparison vsGolden = OutputComparison.Compare(Case.VtaOutput, Case.Golden);
        OutputComparison vsOriginal = OutputComparison.Compare(Case.VtaOutput, Case.Original);

        Assert.Equal(286, vsGolden.Top1);
        Assert.True(vsGolden.Top1Agrees);
        Assert.True(vsOriginal.Top1Agrees);
        Assert.True(vsGolden.TopKOverlap >= 3, $"top-5 overlap with the golden {vsGolden.TopKOverlap}");
        // Measured: 3 LSB (of 1/256) from the model's own arithmetic, 12 from ArmNN's golden (the model's own is 13 from it).
        Assert.True(vsOriginal.MaxAbsDiff <= 4, $"max |diff| from the original graph {vsOriginal.MaxAbsDiff}");
        Assert.True(vsGolden.MaxAbsDiff <= 14, $"max |diff| from the golden {vsGolden.MaxAbsDiff}");
    }

    [Fact]
    public void PointwiseConvsRunOnVtaAndDepthwiseConvsOnTheCpu()
    {
        Graph g = Case.Compiled.Graph;
        int convs = Case.Source.Nodes.Count(n => n.Op is Conv2d);
        Assert.Equal(36, convs);
        Assert.Equal(convs, Case.Compiled.VtaLayers.Count);
        Assert.All(g.Nodes.Where(n => n.Op is DepthwiseConv2d or AvgPool or Softmax or Add), n => Assert.Equal(ExecutionTarget.Cpu, ModelCompiler.TargetOf(n)));
        Assert.Empty(Case.Compiled.Notes);
        // The first conv reads the image (3 channels) padded to one 16-channel block, with the LOAD's zero padding (zero point 0 in int8).
        VtaLayer first = Case.Compiled.VtaLayers[0];
        Assert.Equal(16, first.Input.Channels);
        Assert.Equal(Pads2d.Zero, first.HostPadding);
        // A pack only where a VTA layer reads a CPU value: VTA-to-VTA edges (project conv → expand conv) stay packed on the device.
        HashSet<string> fromVta = [.. Case.Compiled.VtaLayers.Select(l => l.Node.Output)];
        VtaLayer[] readingVta = [.. Case.Compiled.VtaLayers.Where(l => fromVta.Contains(l.Node.Inputs[0]))];
        Assert.Contains(readingVta, l => l.Node.Name == "conv_2d_3");
        Assert.Equal(Case.Compiled.VtaLayers.Count - readingVta.Length, Case.Compiled.Steps.OfType<PackStep>().Count());
        Assert.Equal("input/int8", Case.Compiled.Steps.OfType<PackStep>().First().Value); // the image as int8 (x − 128)
    }

    [Fact]
    public void CountersAreTheSumOfTheLayersAndGemmWorkIsTheLayersUsefulWork()
    {
        var layers = Case.Vta.Layers;
        Assert.Equal(layers.Sum(l => l.Counters.GemmCounter), Case.Vta.Counters.GemmCounter);
        Assert.Equal(layers.Sum(l => l.Counters.OutStoreNbytes), Case.Vta.Counters.OutStoreNbytes);
        Assert.All(layers.Where(l => l.Target == ExecutionTarget.Cpu), l => Assert.Equal(0, l.Counters.GemmCounter + l.Counters.InpLoadNbytes));
        // From the graph alone: output blocks × input blocks × taps × output pixels of each VTA conv (batch 1, 16-channel blocks).
        Graph g = Case.Compiled.Graph;
        long expected = Case.Compiled.VtaLayers.Sum(l =>
        {
            Shape x = g.TypeOf(l.Node.Inputs[0]).Shape, w = g.TypeOf(l.Node.Inputs[1]).Shape, y = g.TypeOf(l.Node.Output).Shape;
            return (long)Blocks(y[3]) * Blocks(x[3]) * w[2] * w[3] * y[1] * y[2];
        });
        Assert.Equal(expected, Case.Vta.Counters.GemmCounter);
        // Every weight is loaded at least once, in its packed (padded) form.
        Assert.True(Case.Vta.Counters.WgtLoadNbytes >= Case.Compiled.VtaLayers.Sum(l => (long)l.PackedWeights.Length));
    }

    private static int Blocks(int channels) => (channels + 15) / 16;
}
