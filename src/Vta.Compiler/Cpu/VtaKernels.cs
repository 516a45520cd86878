using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>
/// Reference kernels of <see cref="VtaConv2d"/> and <see cref="VtaDense"/>: plain int8 × int8 → int32 sums (the raw
/// integer conv and dense kernels), then VTA's epilogue as its ALU runs it: + bias (already in the sums), arithmetic
/// shift right per channel (folded form) or pre-shift, multiply, + rounding, two shifts (multiply form), all int32 with
/// wrap-around like the ALU, + zero point, clamp. This is the "plain int8 executor" the VTA path must equal bit for bit.
/// </summary>
internal static class VtaKernels
{
    public static Tensor Conv(VtaConv2d op, Tensor data, Tensor weights, Tensor bias, Tensor shifts, TensorType outType, Tensor? residual = null)
    {
        Tensor x = Plain(data);
        Pads2d pads = op.Pads;
        if (op.PadValue != 0 && pads != Pads2d.Zero)
        {
            // Padding is the input's zero point, not 0: materialize it, as VTA's host side does before the LOAD.
            x = PadSpatial(x, pads, op.Layout, op.PadValue);
            pads = Pads2d.Zero;
        }
        Conv2d raw = new(op.Strides, pads, Size2d.One, op.Groups, FusedActivation.None, op.Layout, KernelLayout.Oihw, DataType.Int32);
        int axis = op.Layout.ChannelAxis();
        Shape sumsShape = outType.Shape.WithDim(axis, weights.Shape[0]);
        Tensor acc = ConvKernel.Run(raw, x, Plain(weights), WithSumChannel(Plain(bias), weights.Shape[0]), new TensorType(DataType.Int32, sumsShape));
        int[] channel = Tensor.ChannelIndexOf(outType.Shape, axis);
        Tensor y = op.Exact is { } exact
            ? FinishExact(exact, AddInputSum(acc.As<int>(), sumsShape, axis, op.InputSumFactor), channel, shifts, op.OutputZeroPoint, op.Min, op.Max, outType)
            : Finish(acc.As<int>(), channel, shifts, op.OutputZeroPoint, op.Min, op.Max, outType);
        return op.Residual is { } clip ? AddResidual(y, residual ?? throw new ArgumentException($"{op.Kind} with a residual needs its fifth input"), clip) : y;
    }

    /// <summary>The fused shortcut: the int8 conv output plus the int8 shortcut in int32, clamped to the add's range.</summary>
    private static Tensor AddResidual(Tensor y, Tensor residual, ResidualClip clip)
    {
        sbyte[] a = y.As<sbyte>(), b = residual.As<sbyte>();
        var sum = new sbyte[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            sum[i] = (sbyte)Math.Clamp(a[i] + b[i], clip.Min, clip.Max);
        }
        return new Tensor(y.Type, sum);
    }

    public static Tensor Dense(VtaDense op, Tensor data, Tensor weights, Tensor bias, Tensor shifts, TensorType outType)
    {
        Dense raw = new(FusedActivation.None, DataType.Int32);
        Shape sumsShape = outType.Shape.WithDim(1, weights.Shape[0]);
        Tensor acc = DenseKernel.Run(raw, Plain(data), Plain(weights), WithSumChannel(Plain(bias), weights.Shape[0]), new TensorType(DataType.Int32, sumsShape));
        int[] channel = Tensor.ChannelIndexOf(outType.Shape, 1);
        return op.Exact is { } exact
            ? FinishExact(exact, AddInputSum(acc.As<int>(), sumsShape, 1, op.InputSumFactor), channel, shifts, op.OutputZeroPoint, op.Min, op.Max, outType)
            : Finish(acc.As<int>(), channel, shifts, op.OutputZeroPoint, op.Min, op.Max, outType);
    }

    /// <summary>The bias with a 0 for the input-sum channel when the weights carry one (one more row than the bias).</summary>
    private static Tensor WithSumChannel(Tensor bias, int weightChannels) =>
        bias.Length == weightChannels ? bias : Tensor.FromArray(new Shape(weightChannels), [.. bias.As<int>(), 0]);

    /// <summary>
    /// Sums over O + 1 channels (the last one Σ x over the window) to the layer's O sums: each channel's own plus
    /// <paramref name="factor"/> times the input sum, in int32 like the host finish. With factor 0 the sums are the layer's.
    /// </summary>
    private static int[] AddInputSum(int[] acc, Shape withSum, int axis, int factor)
    {
        if (factor == 0)
        {
            return acc;
        }

        int o1 = withSum[axis], outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= withSum[d];
        }

        for (int d = axis + 1; d < withSum.Rank; d++)
        {
            inner *= withSum[d];
        }

        var result = new int[outer * (o1 - 1) * inner];
        for (int i = 0; i < outer; i++)
        {
            for (int c = 0; c < o1 - 1; c++)
            {
                for (int j = 0; j < inner; j++)
                {
                    result[(((i * (o1 - 1)) + c) * inner) + j] = unchecked(acc[(((i * o1) + c) * inner) + j] + (factor * acc[(((i * o1) + o1 - 1) * inner) + j]));
                }
            }
        }

        return result;
    }

    /// <summary>Pads H and W of a 4-D tensor with a constant integer.</summary>
    public static Tensor PadSpatial(Tensor x, Pads2d pads, DataLayout layout, int value)
    {
        int[] before = new int[4], after = new int[4];
        before[layout.HeightAxis()] = pads.Top;
        before[layout.WidthAxis()] = pads.Left;
        after[layout.HeightAxis()] = pads.Bottom;
        after[layout.WidthAxis()] = pads.Right;
        Pad pad = new([.. before, .. after], value);
        TensorType outType = pad.InferOutputs([x.Type])[0];
        return ShapeKernels.Pad(pad, x, outType);
    }

    private static Tensor Finish(int[] acc, int[] channel, Tensor requant, int zeroPoint, int min, int max, TensorType outType)
    {
        int[] rows = requant.As<int>();
        sbyte[] y = new sbyte[acc.Length];
        if (!VtaOpChecks.IsMultiplyForm(requant.Shape))
        {
            for (int i = 0; i < acc.Length; i++)
            {
                int v = unchecked((acc[i] >> rows[channel[i]]) + zeroPoint);
                y[i] = (sbyte)Math.Clamp(v, min, max);
            }
            return new Tensor(outType, y);
        }

        int o = requant.Shape[1];
        for (int i = 0; i < acc.Length; i++)
        {
            int c = channel[i];
            int v = acc[i] >> rows[c];
            v = unchecked((v * rows[o + c]) + rows[(2 * o) + c]);
            v = (v >> rows[(3 * o) + c]) >> rows[(4 * o) + c];
            y[i] = (sbyte)Math.Clamp(unchecked(v + zeroPoint), min, max);
        }
        return new Tensor(outType, y);
    }

    /// <summary>The exact form: the model's own requantization of the int32 sums (what the host finish does with VTA's planes).</summary>
    private static Tensor FinishExact(Quant.ExactRequantKind kind, int[] acc, int[] channel, Tensor requant, int zeroPoint, int min, int max, TensorType outType)
    {
        int[] rows = requant.As<int>();
        int channels = requant.Shape[1];
        sbyte[] y = new sbyte[acc.Length];
        for (int i = 0; i < acc.Length; i++)
        {
            y[i] = (sbyte)Quant.ExactRequantization.Requantize(kind, rows, channels, channel[i], acc[i], zeroPoint, min, max);
        }
        return new Tensor(outType, y);
    }

    /// <summary>The same integers without quantization parameters, so the raw integer kernels take them.</summary>
    private static Tensor Plain(Tensor t) => t.Quant is null ? t : new Tensor(t.Type.WithQuant(null), t.Data);
}
