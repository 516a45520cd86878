using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Running;
using Vta.Compiler.Tests.Infrastructure;
using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests;

/// <summary>Every refusal is a <see cref="VtaCompileException"/> naming the layer, thrown by the compiler before anything runs.</summary>
public class BadInputTests
{
    [Theory]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,co=16,k=3,pad=1,stride=0", "stride")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,co=16,k=3,pad=1,dilation=2", "dilation 2")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=24,co=16,k=3,pad=1", "24 input channels is not a multiple of BLOCK_IN = 16")]
    [InlineData("dense:n=4,ci=40,co=16", "40 input channels is not a multiple of BLOCK_IN = 16")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=64,co=64,k=3,pad=1,groups=8", "8 channels per group is not a multiple of the 16-channel block")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=64,co=60,k=3,pad=1,groups=4", "15 channels per group")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=64,co=64,k=3,pad=1,groups=3", "do not divide into 3 groups")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,co=16,k=3,pad=3", "must be smaller than the 3×3 kernel")]
    [InlineData("conv2d:n=1,h=2,w=2,ci=16,co=16,k=5", "larger than the padded 2×2 input")]
    [InlineData("conv2d:n=-1,h=8,w=8,ci=16,co=16,k=3", "batch = -1")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,co=16,k=3,shift=16", "shift by 16")]
    [InlineData("conv2d_transpose:n=1,h=4,w=4,ci=16,co=16,k=4,pad=1,stride=2,out_pad=1", "output padding 1")]
    [InlineData("conv2d_transpose:n=1,h=4,w=4,ci=16,co=16,k=3,pad=1,stride=2", "not a whole number of stride-2 phases")]
    [InlineData("eltwise:op=add,n=1,c=16,h=4,w=4,lo=5,hi=-5", "is empty")]
    [InlineData("eltwise:op=add,n=1,c=16,h=4,w=4,hi=40000", "16-bit signed")]
    public void UnsupportedParametersAreRefusedWithTheLayerName(string spec, string expected)
    {
        var e = Assert.Throws<VtaCompileException>(() => OpCompiler.Compile(WorkloadSpecParser.Parse(spec), VtaConfig.Default));
        Assert.Equal(spec, e.Layer);
        Assert.StartsWith(spec + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("conv2d:n=1,h=1,w=70000,ci=16,co=16,k=1", "input row stride (x_stride of LOAD INP) is 70000, over the 16-bit instruction field")]
    [InlineData("conv2d:n=1,h=4,w=40000,ci=16,co=16,k=1,stride=2", "input row stride (x_stride of LOAD INP) is 80000")]
    [InlineData("conv2d:n=1,h=40,w=40,ci=16,co=16,k=17,pad=16", "padding of 16 rows exceeds the LOAD pad fields (at most 15)")]
    public void ShapesThatOverflowAnInstructionFieldAreRefused(string spec, string expected)
    {
        var e = Assert.Throws<VtaCompileException>(() => OpCompiler.Compile(WorkloadSpecParser.Parse(spec), VtaConfig.Default));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayerNoTilingFitsNamesTheBufferAndTheShortfall()
    {
        // A 17×17 kernel: one output block × one input block needs 289 WGT elements; 1x32 has 256.
        var e = Assert.Throws<VtaCompileException>(() =>
            OpCompiler.Compile(WorkloadSpecParser.Parse("conv2d:n=1,h=20,w=20,ci=32,co=32,k=17"), TestConfigs.Get("1x32")));
        Assert.Contains("no tiling fits 1x32_i8w8a32_15_15_18_17", e.Message, StringComparison.Ordinal);
        Assert.Contains("WGT buffer too small", e.Message, StringComparison.Ordinal);
        Assert.Contains("1×1 blocks × 289 taps need 289 elements, it holds 256; short by 33", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATilingFromAnotherPolicyThatDoesNotFitIsRefused()
    {
        var lowering = Conv2dOp.Lower((Conv2dWorkload)WorkloadCatalog.Resolve("resnet18.C2").ForConfig(VtaConfig.Default), VtaConfig.Default);
        var tooBig = new FixedTilingPolicy(new ConvTiling(1, 1, 4, 4, 56, 56, LoopOrder.WeightsOuter, 2));
        var e = Assert.Throws<VtaCompileException>(() => ConvPlan.Compile(lowering, VtaConfig.Default, tooBig));
        Assert.Contains("INP buffer too small", e.Message, StringComparison.Ordinal);
        Assert.Contains("ACC buffer too small", e.Message, StringComparison.Ordinal);

        var ragged = new FixedTilingPolicy(new ConvTiling(1, 1, 3, 4, 8, 8, LoopOrder.WeightsOuter, 1));
        Assert.Contains("block counts must divide", Assert.Throws<VtaCompileException>(() => ConvPlan.Compile(lowering, VtaConfig.Default, ragged)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEpilogueTheAluCannotDoIsRefused()
    {
        var lowering = Conv2dOp.Lower((Conv2dWorkload)WorkloadSpecParser.Parse("conv2d:n=1,h=8,w=8,ci=16,co=16,k=3,pad=1"), VtaConfig.Default);
        var bad = lowering with { Epilogue = new Epilogue([new Clip(0, 70000)]) };
        Assert.Contains("16-bit signed", Assert.Throws<VtaCompileException>(() => ConvPlan.Compile(bad, VtaConfig.Default)).Message, StringComparison.Ordinal);
    }
}
