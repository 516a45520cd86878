using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests;

public class WorkloadSpecTests
{
    [Fact]
    public void TheCatalogHoldsEverySection8Workload()
    {
        string[] expected =
        [
            .. Enumerable.Range(2, 10).Select(i => $"resnet18.C{i}"), "dense.128", "dense.16x512x1008",
            .. Enumerable.Range(1, 9).Select(i => $"mobilenet.D{i}"), .. Enumerable.Range(1, 3).Select(i => $"dcgan.CT{i}"),
        ];
        Assert.Equal(expected, WorkloadCatalog.All.Select(w => w.Name));
        Assert.Equal(19, WorkloadCatalog.All.Sum(w => WorkloadCatalog.ResNet18Occurrences(w.Name))); // resnet18_v1's 20 convolutions but conv1
    }

    [Fact]
    public void NamedWorkloadsHaveTvmsShapes()
    {
        var c3 = Assert.IsType<Conv2dWorkload>(WorkloadCatalog.Resolve("resnet18.C3"));
        Assert.Equal((56, 64, 128, 3, 1, 2), (c3.Height, c3.InChannels, c3.OutChannels, c3.KernelH, c3.Pad.Top, c3.StrideH));
        Assert.Equal(28, c3.OutHeight);
        var d4 = Assert.IsType<Conv2dWorkload>(WorkloadCatalog.Resolve("MOBILENET.d4"));
        Assert.Equal((56, 128, 8, 2), (d4.Height, d4.InChannels, d4.Groups, d4.StrideH));
        var ct2 = Assert.IsType<Conv2dTransposeWorkload>(WorkloadCatalog.Resolve("dcgan.CT2"));
        Assert.Equal((8, 512, 256, 4, 1, 2, 16), (ct2.Height, ct2.InChannels, ct2.OutChannels, ct2.Kernel, ct2.Pad, ct2.Stride, ct2.OutHeight));
        var dense = Assert.IsType<DenseWorkload>(WorkloadCatalog.Resolve("dense.16x512x1008"));
        Assert.Equal((16, 512, 1008), (dense.N, dense.InChannels, dense.OutChannels));
    }

    [Fact]
    public void ConvolutionsTakeTheConfigurationsBatch()
    {
        var w = WorkloadCatalog.Resolve("resnet18.C2");
        Assert.Equal(0, w.Batch);
        Assert.Equal(2, w.ForConfig(VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18)).Batch);
        Assert.Equal(128, WorkloadCatalog.Resolve("dense.128").ForConfig(VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18)).Batch);
    }

    [Fact]
    public void ExplicitSpecsParseWithListsAndDefaults()
    {
        var w = Assert.IsType<Conv2dWorkload>(WorkloadSpecParser.Parse("conv2d:n=2,h=56,w=28,ci=64,co=32,kh=3,kw=1,pad=0,1,2,3,stride=2,1,groups=2"));
        Assert.Equal(new Padding(0, 1, 2, 3), w.Pad);
        Assert.Equal((3, 1, 2, 1, 2, 2), (w.KernelH, w.KernelW, w.StrideH, w.StrideW, w.Groups, w.N));
        var hw = Assert.IsType<Conv2dWorkload>(WorkloadSpecParser.Parse("conv2d:h=9,w=9,ci=16,co=16,k=3,pad=1,2"));
        Assert.Equal((new Padding(1, 2, 1, 2), 1, 1), (hw.Pad, hw.StrideH, hw.N));
        var t = Assert.IsType<Conv2dTransposeWorkload>(WorkloadSpecParser.Parse("conv2d_transpose:n=BATCH,h=4,w=4,ci=1024,co=512,k=4,pad=1,stride=2"));
        Assert.Equal((0, 8), (t.N, t.OutWidth));
        var e = Assert.IsType<ElementwiseWorkload>(WorkloadSpecParser.Parse("max:n=1,c=16,h=2,w=3,shift=2,lo=-3"));
        Assert.Equal((ElementwiseOp.Max, 2, -3, (int?)null), (e.Op, e.Shift, e.ClipLo, e.ClipHi));
    }

    [Theory]
    [InlineData("conv2d:n=1,h=56,w=56,ci=64,co=64,k=3,pad=1,stride=1")]
    [InlineData("conv2d:n=BATCH,h=17,w=9,ci=32,co=48,kh=5,kw=3,pad=2,1,0,1,stride=3,2,groups=2,shift=7,residual=1")]
    [InlineData("dense:n=16,ci=512,co=1008")]
    [InlineData("conv2d_transpose:n=1,h=4,w=4,ci=32,co=16,k=4,pad=1,stride=2")]
    [InlineData("eltwise:op=add,n=1,c=16,h=4,w=4,shift=1,lo=0,hi=127")]
    public void SpecsRoundTrip(string spec)
    {
        var w = WorkloadSpecParser.Parse(spec);
        Assert.Equal(w with { Name = "x" }, WorkloadSpecParser.Parse(w.Spec) with { Name = "x" });
        Assert.Equal(spec, w.Spec);
    }

    [Theory]
    [InlineData("conv3d:n=1", "unknown family 'conv3d'")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,k=3", "missing co=")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,co=16,k=3,colour=red", "unknown key(s) colour")]
    [InlineData("conv2d:n=1,h=eight,w=8,ci=16,co=16,k=3", "h=eight is not an integer")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,co=16,k=3,pad=1,1,1", "pad takes 1 value, 2")]
    [InlineData("conv2d:n=1,h=8,h=9,w=8,ci=16,co=16,k=3", "key 'h' given twice")]
    [InlineData("dense:5,ci=16,co=16", "'5' is not key=value")]
    [InlineData("resnet18.C12", "unknown workload 'resnet18.C12'")]
    [InlineData("dense:n=0,ci=16,co=16", "n=0: write n=BATCH")]
    public void BadSpecsAreFormatErrors(string spec, string expected)
    {
        var e = Assert.Throws<FormatException>(() => WorkloadCatalog.Resolve(spec));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
