namespace Vta.Compiler.Graphs;

/// <summary>
/// Depthwise 2-D convolution: each input channel c is convolved with <see cref="Multiplier"/> filters,
/// giving output channels c * Multiplier + m. Weights have O = C * Multiplier and I = 1 in
/// <see cref="KernelLayout"/> (TFLite stores IHWO = [1, KH, KW, C*M]). Same arithmetic as <see cref="Conv2d"/>.
/// </summary>
public sealed record DepthwiseConv2d(
    Size2d Strides,
    Pads2d Pads,
    Size2d Dilations,
    int Multiplier = 1,
    FusedActivation Activation = FusedActivation.None,
    DataLayout Layout = DataLayout.Nchw,
    KernelLayout KernelLayout = KernelLayout.Oihw,
    DataType? OutDType = null) : Op
{
    public override string Kind => "depthwise_conv2d";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 2, 3);
        TensorType data = inputs[0];
        TensorType weights = inputs[1];
        CheckRank(data, 4, "data");
        CheckRank(weights, 4, "weights");
        (int ao, int ai, int ah, int aw) = KernelLayout.Axes();
        int channels = data.Shape[Layout.ChannelAxis()];
        Check(Multiplier > 0, $"depth multiplier {Multiplier} must be positive");
        Check(weights.Shape[ai] == 1 && weights.Shape[ao] == channels * Multiplier,
            $"weights {weights.Shape} ({KernelLayout.Name()}) should have I = 1 and O = {channels} x {Multiplier}");
        Check(data.DType.IsInteger() == weights.DType.IsInteger(), $"data {data.DType.Name()} and weights {weights.DType.Name()} mix float and integer");
        if (inputs.Count == 3)
        {
            Check(inputs[2].Shape == new Shape(channels * Multiplier), $"bias shape {inputs[2].Shape} should be [{channels * Multiplier}]");
        }
        int oh = WindowOutputSize(data.Shape[Layout.HeightAxis()], weights.Shape[ah], Strides.H, Pads.Top, Pads.Bottom, Dilations.H);
        int ow = WindowOutputSize(data.Shape[Layout.WidthAxis()], weights.Shape[aw], Strides.W, Pads.Left, Pads.Right, Dilations.W);
        Shape shape = Layout.MakeShape(data.Shape[0], channels * Multiplier, oh, ow);
        return [new TensorType(OutDType ?? data.DType, shape)];
    }

    public override string FormatAttributes() =>
        $"strides={Strides} pads={Pads} dilations={Dilations} multiplier={Multiplier} act={Activation.Name()} layout={Layout.Name()} kernel={KernelLayout.Name()}"
        + (OutDType is { } t ? $" out={t.Name()}" : string.Empty);
}
