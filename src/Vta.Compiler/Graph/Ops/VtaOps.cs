using System.Globalization;

namespace Vta.Compiler.Graphs;

/// <summary>Where a node runs. The reference executor ignores it: both places compute the same integers.</summary>
public enum ExecutionTarget
{
    Cpu,
    Vta,
}

public static class ExecutionTargets
{
    /// <summary>"cpu" or "vta", as printed and reported.</summary>
    public static string Name(this ExecutionTarget target) => target == ExecutionTarget.Vta ? "vta" : "cpu";
}

/// <summary>
/// The integer form of a quantized convolution that VTA computes exactly (see docs/quantization.md). Inputs: data int8
/// in <see cref="Layout"/>, weights int8 OIHW (I = input channels per group), bias int32 [O], requantization int32 [O]
/// (shifts in 0..15, the folded form) or [5, O] (the multiply form's rows, <see cref="Vta.Compiler.Quant.VtaMultiplyRows"/>).
/// Folded: out = clamp(((Σ x·w + bias) &gt;&gt; shift) + <see cref="OutputZeroPoint"/>, <see cref="Min"/>, <see cref="Max"/>);
/// multiply: out = clamp(((((Σ x·w + bias) &gt;&gt; p)·m + r) &gt;&gt; k1 &gt;&gt; k2) + zo), all int32 as VTA's ALU computes;
/// int8, where padded taps read <see cref="PadValue"/> (the input's zero point, so padding is a real zero). Input
/// zero point and rounding are folded into the bias; the output quantization is declared by the rewrite.
/// With <see cref="Residual"/>, a fifth input (int8, the output's shape) is added after that clamp and the sum clamped
/// again: out = clamp(clamp(requant) + shortcut, Residual.Min, Residual.Max), exactly a quantized add whose inputs and
/// output share one scale and zero point 0 (ResNet's shortcut, fused by <c>FuseResidualAdd</c>).
/// </summary>
public sealed record VtaConv2d(
    Size2d Strides,
    Pads2d Pads,
    int Groups,
    int PadValue,
    int OutputZeroPoint,
    int Min,
    int Max,
    DataLayout Layout = DataLayout.Nhwc,
    ExecutionTarget Target = ExecutionTarget.Cpu,
    ResidualClip? Residual = null,
    Vta.Compiler.Quant.ExactRequantKind? Exact = null,
    int InputSumFactor = 0) : Op, IVtaLayerOp
{
    public override string Kind => "vta_conv2d";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        int arity = Residual is null ? 4 : 5;
        CheckArity(inputs, arity, arity);
        TensorType data = inputs[0], weights = inputs[1];
        CheckRank(data, 4, "data");
        CheckRank(weights, 4, "weights");
        Check(data.DType == DataType.Int8 && weights.DType == DataType.Int8, $"data and weights must be int8, got {data.DType.Name()} and {weights.DType.Name()}");
        int channels = data.Shape[Layout.ChannelAxis()];
        int o = VtaOpChecks.OutputChannels(weights.Shape[0], Exact, InputSumFactor);
        Check(Groups > 0 && weights.Shape[1] * Groups == channels && o % Groups == 0 && (InputSumFactor == 0 || Groups == 1),
            $"weights {weights.Shape} (OIHW) with {Groups} groups do not fit {channels} input channels");
        VtaOpChecks.PerChannelVectors(inputs[2], inputs[3], o, Exact);
        Check(Exact is null || Residual is null, "an exact layer has no fused residual");
        VtaOpChecks.Range(PadValue, OutputZeroPoint, Min, Max);
        int oh = WindowOutputSize(data.Shape[Layout.HeightAxis()], weights.Shape[2], Strides.H, Pads.Top, Pads.Bottom, 1);
        int ow = WindowOutputSize(data.Shape[Layout.WidthAxis()], weights.Shape[3], Strides.W, Pads.Left, Pads.Right, 1);
        Shape shape = Layout.MakeShape(data.Shape[0], o, oh, ow);
        if (Residual is { } r)
        {
            Check(inputs[4].DType == DataType.Int8 && inputs[4].Shape == shape, $"residual must be int8{shape}, got {inputs[4].DType.Name()}{inputs[4].Shape}");
            VtaOpChecks.Range(0, 0, r.Min, r.Max);
        }
        return [new TensorType(DataType.Int8, shape)];
    }

    public override string FormatAttributes() => string.Create(CultureInfo.InvariantCulture,
        $"strides={Strides} pads={Pads} groups={Groups} pad_value={PadValue} zo={OutputZeroPoint} clip={Min},{Max} layout={Layout.Name()} target={Target.Name()}")
        + VtaOpChecks.FormatExact(Exact, InputSumFactor) + (Residual is { } r ? string.Create(CultureInfo.InvariantCulture, $" residual_clip={r.Min},{r.Max}") : string.Empty);
}

/// <summary>What <see cref="VtaConv2d"/> and <see cref="VtaDense"/> share: the output's requantization and where the layer runs.</summary>
public interface IVtaLayerOp
{
    int OutputZeroPoint { get; }

    int Min { get; }

    int Max { get; }

    ExecutionTarget Target { get; }

    /// <summary>The exact form's requantization (the host finishes VTA's int32 sums), or null for the VTA forms.</summary>
    Vta.Compiler.Quant.ExactRequantKind? Exact { get; }

    /// <summary>The exact form's input-sum factor (128 − zw of uint8 weights), or 0.</summary>
    int InputSumFactor { get; }
}

/// <summary>The clamp after a fused residual add: the add's own range (its fused activation on its output type).</summary>
public sealed record ResidualClip(int Min, int Max);

/// <summary>
/// The integer form of a quantized fully connected layer: data int8 [N, K], weights int8 [U, K], bias int32 [U],
/// requantization int32 [U] or [5, U] as for <see cref="VtaConv2d"/>; folded: out = clamp(((Σ x·w + bias) &gt;&gt; shift)
/// + <see cref="OutputZeroPoint"/>, <see cref="Min"/>, <see cref="Max"/>).
/// </summary>
public sealed record VtaDense(int OutputZeroPoint, int Min, int Max, ExecutionTarget Target = ExecutionTarget.Cpu,
    Vta.Compiler.Quant.ExactRequantKind? Exact = null, int InputSumFactor = 0) : Op, IVtaLayerOp
{
    public override string Kind => "vta_dense";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 4, 4);
        TensorType x = inputs[0], w = inputs[1];
        CheckRank(x, 2, "data");
        CheckRank(w, 2, "weights");
        Check(x.DType == DataType.Int8 && w.DType == DataType.Int8, $"data and weights must be int8, got {x.DType.Name()} and {w.DType.Name()}");
        Check(x.Shape[1] == w.Shape[1], $"data {x.Shape} and weights {w.Shape} disagree on K");
        int units = VtaOpChecks.OutputChannels(w.Shape[0], Exact, InputSumFactor);
        VtaOpChecks.PerChannelVectors(inputs[2], inputs[3], units, Exact);
        VtaOpChecks.Range(0, OutputZeroPoint, Min, Max);
        return [new TensorType(DataType.Int8, new Shape(x.Shape[0], units))];
    }

    public override string FormatAttributes() => string.Create(CultureInfo.InvariantCulture,
        $"zo={OutputZeroPoint} clip={Min},{Max} target={Target.Name()}") + VtaOpChecks.FormatExact(Exact, InputSumFactor);
}

/// <summary>Checks the VTA ops share.</summary>
public static class VtaOpChecks
{
    public static void PerChannelVectors(TensorType bias, TensorType requant, int channels, Vta.Compiler.Quant.ExactRequantKind? exact = null)
    {
        if (exact is { } kind)
        {
            int rows = Vta.Compiler.Quant.ExactRequantization.Rows(kind);
            if (bias.DType != DataType.Int32 || bias.Shape != new Shape(channels) || requant.DType != DataType.Int32 || requant.Shape != new Shape(rows, channels))
            {
                throw new GraphException($"bias {bias} must be int32[{channels}] and the exact requantization {requant} int32[{rows}, {channels}]");
            }

            return;
        }

        bool requantOk = requant.Shape == new Shape(channels) || requant.Shape == new Shape(Vta.Compiler.Quant.VtaMultiplyRows.Count, channels);
        if (bias.DType != DataType.Int32 || bias.Shape != new Shape(channels) || requant.DType != DataType.Int32 || !requantOk)
        {
            throw new GraphException($"bias {bias} must be int32[{channels}] and the requantization {requant} int32[{channels}] or [{Vta.Compiler.Quant.VtaMultiplyRows.Count}, {channels}]");
        }
    }

    /// <summary>" exact=onnx_float" (and " input_sum=z") for an exact layer, else nothing.</summary>
    public static string FormatExact(Vta.Compiler.Quant.ExactRequantKind? exact, int inputSumFactor = 0) => exact switch
    {
        Vta.Compiler.Quant.ExactRequantKind.OnnxFloat => " exact=onnx_float",
        Vta.Compiler.Quant.ExactRequantKind.TfliteFixedPoint => " exact=tflite_fixed_point",
        _ => string.Empty,
    } + (inputSumFactor != 0 ? string.Create(CultureInfo.InvariantCulture, $" input_sum={inputSumFactor}") : string.Empty);

    /// <summary>
    /// The output channels of a VTA layer with <paramref name="weightChannels"/> weight rows: one fewer when the exact form
    /// carries an input-sum channel (a last row of ones whose sum the host adds <paramref name="inputSumFactor"/> times to
    /// every channel: uint8 weights w − zw = (w − 128) + (128 − zw)).
    /// </summary>
    public static int OutputChannels(int weightChannels, Vta.Compiler.Quant.ExactRequantKind? exact, int inputSumFactor)
    {
        if (inputSumFactor == 0)
        {
            return weightChannels;
        }

        if (exact is null || weightChannels < 2)
        {
            throw new GraphException($"an input-sum factor ({inputSumFactor}) needs the exact form and a row of ones after at least one weight row");
        }

        return weightChannels - 1;
    }

    /// <summary>True when the requantization input holds the multiply form's rows rather than shifts.</summary>
    public static bool IsMultiplyForm(Shape requant) => requant.Rank == 2;

    /// <summary>Every constant is an int8 value (the ALU's 16-bit immediates hold them) and the clamp is not empty.</summary>
    public static void Range(int padValue, int zeroPoint, int min, int max)
    {
        if (padValue is < sbyte.MinValue or > sbyte.MaxValue || zeroPoint is < sbyte.MinValue or > sbyte.MaxValue
            || min < sbyte.MinValue || max > sbyte.MaxValue || min > max)
        {
            throw new GraphException($"pad value {padValue}, zero point {zeroPoint} and clip [{min}, {max}] must be int8 values with min <= max");
        }
    }
}
