using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Passes;

/// <summary>
/// Small random ONNX-style quantized graphs (NCHW, QLinear ops) with uint8 or int8 activations and int8 weights quantized
/// per tensor (with a non-zero zero point) or per output channel. Output scales are chosen from the layer's size so that
/// outputs spread over a few tens of steps around the zero point instead of saturating.
/// </summary>
internal static class QLinearTestGraphs
{
    /// <summary>Typical |x − zx| (in steps) of a random byte input and of a layer output.</summary>
    private const double InputSpread = 74, LayerSpread = 30, WeightSpread = 73, TargetSpread = 30;

    public static DataType Activation(bool uint8) => uint8 ? DataType.UInt8 : DataType.Int8;

    /// <summary>A zero point given as its int8 value, in the activation type (uint8 adds 128: the same real zero).</summary>
    public static Quantization Act(bool uint8, float scale, int int8ZeroPoint) => Quantization.PerTensor(scale, int8ZeroPoint + (uint8 ? 128 : 0));

    /// <summary>Random bytes of the activation type.</summary>
    public static Tensor RandomInput(int seed, bool uint8, Shape shape)
    {
        var random = new Random(seed);
        return uint8
            ? Tensor.FromArray(shape, Enumerable.Range(0, shape.ElementCount).Select(_ => (byte)random.Next(256)).ToArray())
            : Tensor.FromArray(shape, Enumerable.Range(0, shape.ElementCount).Select(_ => (sbyte)random.Next(-128, 128)).ToArray());
    }

    /// <summary>int8 weights: per output channel (scales 0.002..0.006, zero point 0, as ONNX's quantizer writes them) or per tensor (0.004, zero point 3).</summary>
    public static Tensor Weights(Random random, Shape shape, int axis, bool perChannel)
    {
        sbyte[] values = [.. Enumerable.Range(0, shape.ElementCount).Select(_ => (sbyte)random.Next(-127, 128))];
        Quantization q = perChannel
            ? Quantization.PerChannel([.. Enumerable.Range(0, shape[axis]).Select(_ => 0.002f + (0.004f * (float)random.NextDouble()))], [0], axis)
            : Quantization.PerTensor(0.004f, 3);
        return Tensor.FromArray(shape, values, q);
    }

    /// <summary>The output scale that spreads a layer of <paramref name="taps"/> products over about <see cref="TargetSpread"/> steps.</summary>
    public static float OutputScale(float inputScale, int taps, bool firstLayer) =>
        (float)(inputScale * 0.004 * Math.Sqrt(taps) * (firstLayer ? InputSpread : LayerSpread) * WeightSpread / TargetSpread);

    /// <summary>Adds a QLinearConv (OIHW weights, int32 bias) reading <paramref name="input"/>; returns the output scale.</summary>
    public static float Conv(GraphBuilder b, Random random, string name, string input, string output, int outChannels, int kernel, int groups,
        bool uint8, bool perChannel, bool firstLayer = false)
    {
        TensorType x = b.TypeOf(input);
        int inPerGroup = x.Shape[1] / groups, taps = inPerGroup * kernel * kernel;
        int pad = kernel / 2;
        b.AddConstant(name + "/w", Weights(random, new Shape(outChannels, inPerGroup, kernel, kernel), 0, perChannel));
        int biasRange = (int)(Math.Sqrt(taps) * 74 * 73 / 4);
        b.AddConstant(name + "/b", Tensor.FromArray(new Shape(outChannels), Enumerable.Range(0, outChannels).Select(_ => random.Next(-biasRange, biasRange)).ToArray()));
        float scale = OutputScale(x.Quant!.Scale, taps, firstLayer);
        b.AddNode(name, new QLinearConv2d(Size2d.One, new Pads2d(pad, pad, pad, pad), Size2d.One, groups, Activation(uint8)),
            [input, name + "/w", name + "/b"], output, Act(uint8, scale, random.Next(-20, 20)));
        return scale;
    }

    /// <summary>
    /// Adds QLinearMatMul (constant [K, U] weights, per column or per tensor) and the QLinearAdd of a constant [U] bias in
    /// the activation type after it, as ONNX's quantizer writes a Gemm. The matmul's output scale leaves room so it does not saturate.
    /// </summary>
    public static void MatMulWithBias(GraphBuilder b, Random random, string name, string input, string output, int units, bool uint8, bool perChannel,
        bool firstLayer = false)
    {
        TensorType x = b.TypeOf(input);
        int k = x.Shape[1];
        b.AddConstant(name + "/w", Weights(random, new Shape(k, units), 1, perChannel));
        float matmulScale = OutputScale(x.Quant!.Scale, k, firstLayer) * 1.5f;
        b.AddNode(name, new QLinearMatMul(Activation(uint8)), [input, name + "/w"], name + "/mm", Act(uint8, matmulScale, random.Next(-10, 10)));
        float outScale = matmulScale * 1.2f;
        // The bias spans about ±20 output steps.
        Quantization biasQ = Act(uint8, outScale * 20 / 128, random.Next(-10, 10));
        b.AddConstant(name + "/bias", RandomInput(random.Next(), uint8, new Shape(units)).WithQuant(biasQ));
        b.AddNode(name + "_add", new QLinearAdd(Activation(uint8)), [name + "/mm", name + "/bias"], output, Act(uint8, outScale, random.Next(-10, 10)));
    }

    /// <summary>
    /// x [1, 32, 6, 6] → conv0 3×3 pad 1 → 32 → dw 3×3 depthwise → gconv 1×1, 2 groups of 16 → ghalf 1×1, 4 groups of 8
    /// → pool (QLinearGlobalAveragePool) → reshape [1, 32] → fc (QLinearMatMul 32 → 10 + QLinearAdd bias).
    /// </summary>
    public static Graph SmallNet(bool uint8, bool perChannel)
    {
        var random = new Random(uint8 ? 11 : 12);
        GraphBuilder b = new("qlinear-small");
        b.AddInput("x", new TensorType(Activation(uint8), new Shape(1, 32, 6, 6), Act(uint8, 0.05f, -8)));
        Conv(b, random, "conv0", "x", "c0", 32, 3, 1, uint8, perChannel, firstLayer: true);
        Conv(b, random, "dw", "c0", "c1", 32, 3, 32, uint8, perChannel);
        Conv(b, random, "gconv", "c1", "c2", 32, 1, 2, uint8, perChannel);
        float scale = Conv(b, random, "ghalf", "c2", "c3", 32, 1, 4, uint8, perChannel);
        b.AddNode("pool", new QLinearGlobalAvgPool(Activation(uint8)), ["c3"], "p", Act(uint8, scale / 4, 5));
        b.AddNode("reshape", new Reshape(new Shape(1, 32)), ["p"], "r");
        MatMulWithBias(b, random, "fc", "r", "y", 10, uint8, perChannel);
        b.AddOutput("y");
        return b.Build();
    }
}
