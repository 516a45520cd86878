namespace Vta.Compiler.Graphs;

/// <summary>2-D max pooling over a 4-D tensor in <see cref="Layout"/>; padding never wins. Quantization passes through.</summary>
public sealed record MaxPool(Size2d Kernel, Size2d Strides, Pads2d Pads, DataLayout Layout = DataLayout.Nchw, bool CeilMode = false,
    FusedActivation Activation = FusedActivation.None) : Op
{
    public override string Kind => "max_pool2d";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        return [inputs[0].WithShape(PoolShape(inputs[0], Kernel, Strides, Pads, Layout, CeilMode))];
    }

    public override string FormatAttributes() =>
        $"kernel={Kernel} strides={Strides} pads={Pads} layout={Layout.Name()}" + (CeilMode ? " ceil" : string.Empty)
        + (Activation == FusedActivation.None ? string.Empty : $" act={Activation.Name()}");

    internal static Shape PoolShape(TensorType data, Size2d kernel, Size2d strides, Pads2d pads, DataLayout layout, bool ceil)
    {
        CheckRank(data, 4, "data");
        int oh = WindowOutputSize(data.Shape[layout.HeightAxis()], kernel.H, strides.H, pads.Top, pads.Bottom, 1, ceil);
        int ow = WindowOutputSize(data.Shape[layout.WidthAxis()], kernel.W, strides.W, pads.Left, pads.Right, 1, ceil);
        return layout.MakeShape(data.Shape[0], data.Shape[layout.ChannelAxis()], oh, ow);
    }
}

/// <summary>
/// 2-D average pooling. With <see cref="CountIncludePad"/> false (TFLite, ONNX default) the divisor counts only
/// the input elements under the window. Quantized: TFLite's integer kernel (input and output share quantization
/// unless another is declared, in which case the average is requantized).
/// </summary>
public sealed record AvgPool(Size2d Kernel, Size2d Strides, Pads2d Pads, DataLayout Layout = DataLayout.Nchw,
    bool CountIncludePad = false, bool CeilMode = false, FusedActivation Activation = FusedActivation.None) : Op
{
    public override string Kind => "avg_pool2d";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        return [inputs[0].WithShape(MaxPool.PoolShape(inputs[0], Kernel, Strides, Pads, Layout, CeilMode))];
    }

    public override string FormatAttributes() =>
        $"kernel={Kernel} strides={Strides} pads={Pads} layout={Layout.Name()}"
        + (CountIncludePad ? " count_include_pad" : string.Empty) + (CeilMode ? " ceil" : string.Empty)
        + (Activation == FusedActivation.None ? string.Empty : $" act={Activation.Name()}");
}

/// <summary>Average over the whole H x W plane; output keeps rank 4 with H = W = 1 (ONNX GlobalAveragePool).</summary>
public sealed record GlobalAvgPool(DataLayout Layout = DataLayout.Nchw) : Op
{
    public override string Kind => "global_avg_pool2d";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        CheckRank(inputs[0], 4, "data");
        Shape s = inputs[0].Shape;
        return [inputs[0].WithShape(Layout.MakeShape(s[0], s[Layout.ChannelAxis()], 1, 1))];
    }

    public override string FormatAttributes() => $"layout={Layout.Name()}";
}

/// <summary>Mean over <see cref="Axes"/> (TFLite MEAN, ONNX ReduceMean). Quantized: TFLite's integer mean.</summary>
public sealed record Mean(EquatableArray<int> Axes, bool KeepDims = true) : Op
{
    public override string Kind => "mean";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Shape s = inputs[0].Shape;
        HashSet<int> axes = NormalizedAxes(s);
        List<int> dims = [];
        for (int d = 0; d < s.Rank; d++)
        {
            if (!axes.Contains(d))
            {
                dims.Add(s[d]);
            }
            else if (KeepDims)
            {
                dims.Add(1);
            }
        }
        return [inputs[0].WithShape(new Shape(dims))];
    }

    public HashSet<int> NormalizedAxes(Shape shape)
    {
        HashSet<int> axes = [];
        foreach (int a in Axes)
        {
            Check(axes.Add(shape.NormalizeAxis(a)), $"axis {a} repeated");
        }
        return axes;
    }

    public override string FormatAttributes() => $"axes={Axes}" + (KeepDims ? " keep_dims" : string.Empty);
}
