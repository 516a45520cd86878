using Vta.Compiler.Graphs;
using Vta.Compiler.Quant;

namespace Vta.Compiler.Tests.Quant;

/// <summary>The --quantize spec parser and the checks on options and models.</summary>
public class QuantizeOptionsTests
{
    [Fact]
    public void SpecsParseToTheirSchemesAndSettings()
    {
        Assert.Equal(new QuantizeOptions().ToString(), QuantizeOptions.Parse("tvm").ToString());
        Assert.Equal(4.0, QuantizeOptions.Parse("tvm:global_scale=4").GlobalScale);
        Assert.Equal(16.0, QuantizeOptions.Parse(" TVM:16 ").GlobalScale);
        QuantizeOptions p = QuantizeOptions.Parse("percentile:99.99");
        Assert.Equal((QuantizationScheme.Percentile, 99.99), (p.Scheme, p.Percentile));
        Assert.Equal(QuantizationScheme.KlDivergence, QuantizeOptions.Parse("kl").Scheme);
        QuantizeOptions k = QuantizeOptions.Parse("kl:power2=false,skip_conv_layers=none,stop_at_global_pool=true");
        Assert.Equal((false, 0, true), (k.PowerOfTwoScales, k.SkipConvLayers.Count, k.StopAtGlobalPool));
        Assert.Equal([0, 3], QuantizeOptions.Parse("tvm:skip_conv_layers=0;3").SkipConvLayers);
    }

    [Theory]
    [InlineData("int4", "unknown scheme 'int4'")]
    [InlineData("percentile:0", "percentile 0 must be in (0, 100]")]
    [InlineData("percentile:100.5", "percentile 100.5 must be in (0, 100]")]
    [InlineData("percentile:abc", "percentile 'abc' is not a number")]
    [InlineData("kl:percentile=99", "percentile applies only to the percentile scheme")]
    [InlineData("tvm:global_scale=-1", "global_scale -1 must be a positive finite number")]
    [InlineData("tvm:skip_conv_layers=a", "skip_conv_layers entry 'a'")]
    [InlineData("tvm:rounding=down", "unknown setting 'rounding'")]
    public void BadSpecsNameWhatIsWrong(string spec, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => QuantizeOptions.Parse(spec));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains(spec.Trim(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CalibratedSchemesWithoutDataAndBadEnumsAreRefused()
    {
        Graph g = TinyFloatNet();
        var e = Assert.Throws<ArgumentException>(() => FloatQuantizer.Quantize(g, QuantizeOptions.Parse("percentile")));
        Assert.Contains("the percentile scheme needs calibration data", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => FloatQuantizer.Quantize(g, new QuantizeOptions { Scheme = QuantizationScheme.KlDivergence }));
        Assert.Contains("the kl scheme needs calibration data", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => FloatQuantizer.Quantize(g, new QuantizeOptions { Scheme = (QuantizationScheme)7 }));
        Assert.Contains("scheme 7", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => FloatQuantizer.Quantize(g, new QuantizeOptions { Percentile = 0 }));
        Assert.Contains("percentile 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CalibrationInputsThatDoNotFitTheGraphAreNamed()
    {
        Graph g = TinyFloatNet();
        var bad = new Dictionary<string, Tensor> { ["image"] = Tensor.Zeros(g.TypeOf("x")) };
        var e = Assert.Throws<ArgumentException>(() => FloatQuantizer.Quantize(g, QuantizeOptions.Parse("kl") with { Calibration = [bad] }));
        Assert.Contains("calibration input 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AQuantizedModelIsNotQuantizedAgain()
    {
        QuantizedModel q = FloatQuantizer.Quantize(TinyFloatNet(), new QuantizeOptions { SkipConvLayers = [] });
        var e = Assert.Throws<ArgumentException>(() => FloatQuantizer.Quantize(q.Graph, new QuantizeOptions()));
        Assert.Contains("already has quantized values", e.Message, StringComparison.Ordinal);
    }

    /// <summary>x [1,16,4,4] → conv 3x3 → relu → dense-free output: enough for option checks.</summary>
    internal static Graph TinyFloatNet()
    {
        GraphBuilder b = new("tiny");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(1, 16, 4, 4)));
        b.AddConstant("w", QuantTestData.Gaussian(new Shape(16, 16, 3, 3), 1));
        b.AddNode("conv", new Conv2d(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One), ["x", "w"], "c");
        b.AddNode("relu", new Relu(), ["c"], "y");
        b.AddOutput("y");
        return b.Build();
    }
}
