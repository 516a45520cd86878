namespace Vta.Compiler.Graphs;

/// <summary>
/// 2-D convolution. Inputs: data (4-D in <see cref="Layout"/>), weights (4-D in <see cref="KernelLayout"/>,
/// I = input channels per group), optional bias [O]. Float: plain convolution. Quantized data and output
/// (declared quantization): TFLite semantics, int32 accumulation of (x - zx)(w - zw) plus int32 bias, then
/// requantization to the output and the fused activation's clamp. Integers without quantization: raw int32
/// accumulation into <see cref="OutDType"/> (TVM's int8 x int8 -> int32 conv2d).
/// </summary>
public sealed record Conv2d(
    Size2d Strides,
    Pads2d Pads,
    Size2d Dilations,
    int Groups = 1,
    FusedActivation Activation = FusedActivation.None,
    DataLayout Layout = DataLayout.Nchw,
    KernelLayout KernelLayout = KernelLayout.Oihw,
    DataType? OutDType = null) : Op
{
    public override string Kind => "conv2d";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 2, 3);
        TensorType data = inputs[0];
        TensorType weights = inputs[1];
        CheckRank(data, 4, "data");
        CheckRank(weights, 4, "weights");
        (int ao, int ai, int ah, int aw) = KernelLayout.Axes();
        int channels = data.Shape[Layout.ChannelAxis()];
        int outChannels = weights.Shape[ao];
        Check(Groups > 0, $"groups {Groups} must be positive");
        Check(weights.Shape[ai] * Groups == channels,
            $"weights {weights.Shape} ({KernelLayout.Name()}) with {Groups} groups need {weights.Shape[ai] * Groups} input channels, data has {channels}");
        Check(outChannels % Groups == 0, $"{outChannels} output channels are not divisible by {Groups} groups");
        Check(data.DType.IsInteger() == weights.DType.IsInteger(), $"data {data.DType.Name()} and weights {weights.DType.Name()} mix float and integer");
        if (inputs.Count == 3)
        {
            Check(inputs[2].Shape == new Shape(outChannels), $"bias shape {inputs[2].Shape} should be [{outChannels}]");
        }
        int oh = WindowOutputSize(data.Shape[Layout.HeightAxis()], weights.Shape[ah], Strides.H, Pads.Top, Pads.Bottom, Dilations.H);
        int ow = WindowOutputSize(data.Shape[Layout.WidthAxis()], weights.Shape[aw], Strides.W, Pads.Left, Pads.Right, Dilations.W);
        Shape shape = Layout.MakeShape(data.Shape[0], outChannels, oh, ow);
        return [new TensorType(OutDType ?? data.DType, shape)];
    }

    public override string FormatAttributes() =>
        $"strides={Strides} pads={Pads} dilations={Dilations} groups={Groups} act={Activation.Name()} layout={Layout.Name()} kernel={KernelLayout.Name()}"
        + (OutDType is { } t ? $" out={t.Name()}" : string.Empty);
}
