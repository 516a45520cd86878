using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;
using Vta.Compiler.Quant;

namespace Vta.Compiler.Tests.Models;

/// <summary>The VTA form of quantized layers (<see cref="VtaRequantization"/>, <see cref="LowerQuantizedToVta"/>) against hand-computed values.</summary>
public class VtaFormTests
{
    [Theory]
    [InlineData(100, 0.01, 6)]      // 100 · 0.01 · 64 = 64 ≤ 127; · 128 would be 128
    [InlineData(64, 0.125, 3)]      // 64 · 0.125 · 8 = 64
    [InlineData(127, 1.0, 0)]       // already at the int8 limit
    [InlineData(128, 1.0, -1)]      // too large even unshifted
    [InlineData(1, 1e-6, 15)]       // capped at the 0..15 range every VTA design agrees on
    [InlineData(0, 0.5, 15)]        // an all-zero channel
    public void ShiftIsTheLargestThatKeepsWeightsInInt8(int maxAbs, double multiplier, int expected) =>
        Assert.Equal(expected, VtaRequantization.ChooseShift(maxAbs, multiplier));

    [Fact]
    public void WeightsBiasAndShiftFollowTheFormula()
    {
        // Channel 0: M = 0.5, max |w| 20 → k = 3, scale 4. Channel 1: zero point 1, M = 0.01, max |w − 1| 1 → k = 13, scale 81.92.
        VtaLayerForm form = VtaRequantization.Rewrite([10, -20, 2, 2], 2, [0, 1], [0.5, 0.01], [7, -100], inputZeroPoint: 3, out string? reason)!;
        Assert.Null(reason);
        Assert.Equal(new[] { 3, 13 }, form.Shifts);
        Assert.Equal(new sbyte[] { 40, -80, 82, 82 }, form.Weights);
        // round(b · scale) − zx · Σw' + 2^(k − 1)
        Assert.Equal(new[] { 28 + 120 + 4, -8192 - 492 + 4096 }, form.Bias);
    }

    [Fact]
    public void AMultiplierTooLargeForAnyShiftLeavesTheLayerAlone()
    {
        Assert.Null(VtaRequantization.Rewrite([100, 1], 1, [0], [2.0], [], 0, out string? reason));
        Assert.Contains("exceeds 127", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HandBuiltConvBecomesVtaConvWithTheExpectedIntegers()
    {
        // uint8 input (0.5, zp 130), int8 weights per channel (0.25 and 0.001), uint8 output (1.0, zp 100).
        GraphBuilder b = new("hand");
        b.AddInput("x", new TensorType(DataType.UInt8, new Shape(1, 1, 2, 2), Quantization.PerTensor(0.5f, 130)));
        b.AddConstant("w", Tensor.FromArray(new Shape(2, 1, 1, 2), new sbyte[] { 64, -32, 100, 50 }, Quantization.PerChannel([0.25f, 0.001f], [0], 0)));
        b.AddConstant("b", Tensor.FromArray(new Shape(2), new[] { 16, 1000 }, Quantization.PerChannel([0.125f, 0.0005f], [0], 0)));
        b.AddNode("conv", new Conv2d(Size2d.One, Pads2d.Zero, Size2d.One, 1, FusedActivation.None, DataLayout.Nhwc, KernelLayout.Ohwi), ["x", "w", "b"], "y",
            Quantization.PerTensor(1f, 100));
        b.AddOutput("y");
        Graph graph = b.Build();

        var pass = new LowerQuantizedToVta();
        Graph rewritten = new PassManager(pass, new DeadCodeElimination()).Run(graph, new PassContext());

        Assert.Equal(new[] { "x/to_int8", "conv", "conv/to_uint8" }, rewritten.Nodes.Select(n => n.Name));
        var op = Assert.IsType<VtaConv2d>(rewritten.GetNode("conv").Op);
        Assert.Equal((2, -28, -128, 127), (op.PadValue, op.OutputZeroPoint, op.Min, op.Max)); // zero points moved by −128
        // Channel 0: M = 0.125, k = 3, scale 1: w' = w, bias' = 16 − 2·32 + 4. Channel 1: M = 0.0005, k = 11, scale 1.024.
        VtaLayerForm form = pass.Forms["conv"];
        Assert.Equal(new[] { 3, 11 }, form.Shifts);
        Assert.Equal(new sbyte[] { 64, -32, 102, 51 }, form.Weights);
        Assert.Equal(new[] { -44, 1024 - 306 + 1024 }, form.Bias);

        // Pixels (140, 126) and (120, 134): int8 (12, −2) and (−8, 6).
        var feeds = new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(new Shape(1, 1, 2, 2), new byte[] { 140, 126, 120, 134 }) };
        Dictionary<string, Tensor> values = ReferenceExecutor.RunAll(rewritten, feeds);
        // (12·64 − 2·−32 − 44) >> 3 = 98 → 70; (12·102 − 2·51 + 1742) >> 11 = 1 → −27; (−748) >> 3 = −94 → −122; 1232 >> 11 = 0 → −28.
        Assert.Equal(new sbyte[] { 70, -27, -122, -28 }, values[rewritten.GetNode("conv").Output].As<sbyte>());
        Assert.Equal(new byte[] { 198, 101, 6, 100 }, values["y"].As<byte>());
        // Here the multipliers are exact, so the original arithmetic agrees.
        Assert.Equal(values["y"].As<byte>(), ReferenceExecutor.Run(graph, feeds)["y"].As<byte>());
    }

    [Fact]
    public void Uint8ToInt8IsExactForEveryByte()
    {
        GraphBuilder b = new("bytes");
        b.AddInput("x", new TensorType(DataType.UInt8, new Shape(1, 1, 256, 1), Quantization.PerTensor(0.02f, 77)));
        b.AddConstant("w", Tensor.FromArray(new Shape(1, 1, 1, 1), new sbyte[] { 1 }, Quantization.PerTensor(0.01f, 0)));
        b.AddNode("conv", new Conv2d(Size2d.One, Pads2d.Zero, Size2d.One, 1, FusedActivation.None, DataLayout.Nhwc, KernelLayout.Ohwi), ["x", "w"], "y",
            Quantization.PerTensor(0.02f, 0));
        b.AddOutput("y");
        Graph rewritten = new LowerQuantizedToVta().Run(b.Build(), new PassContext());
        byte[] all = [.. Enumerable.Range(0, 256).Select(v => (byte)v)];
        Tensor x = Tensor.FromArray(new Shape(1, 1, 256, 1), all, Quantization.PerTensor(0.02f, 77));

        Tensor twin = ReferenceExecutor.RunAll(rewritten, new Dictionary<string, Tensor> { ["x"] = x })["x/int8"];

        Assert.Equal(Quantization.PerTensor(0.02f, 77 - 128), twin.Quant);
        Assert.Equal(all.Select(v => (sbyte)(v - 128)), twin.As<sbyte>());
        Assert.Equal(x.Dequantize(), twin.Dequantize());
    }
}
