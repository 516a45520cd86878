using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>
/// Reference 2-D convolution (grouped; depthwise is the case groups = C). Works on NCHW / OIHW copies of the
/// operands, whatever their declared layouts. Float, TFLite-quantized and raw-integer arithmetic.
/// </summary>
internal static class ConvKernel
{
    internal sealed record Geometry(Size2d Strides, Pads2d Pads, Size2d Dilations, int Groups, FusedActivation Activation,
        DataLayout Layout, KernelLayout KernelLayout);

    public static Tensor Run(Conv2d op, Tensor data, Tensor weights, Tensor? bias, TensorType outType) =>
        Run(new Geometry(op.Strides, op.Pads, op.Dilations, op.Groups, op.Activation, op.Layout, op.KernelLayout), data, weights, bias, outType);

    public static Tensor Run(DepthwiseConv2d op, Tensor data, Tensor weights, Tensor? bias, TensorType outType) =>
        Run(new Geometry(op.Strides, op.Pads, op.Dilations, data.Shape[op.Layout.ChannelAxis()], op.Activation, op.Layout, op.KernelLayout),
            data, weights, bias, outType);

    private static Tensor Run(Geometry g, Tensor data, Tensor weights, Tensor? bias, TensorType outType)
    {
        if (data.DType == DataType.Float32)
        {
            return RunFloat(g, data, weights, bias, outType);
        }
        bool quantized = data.Quant is not null && outType.Quant is not null;
        if (quantized)
        {
            return RunQuantized(g, data, weights, bias, outType);
        }
        if (data.Quant is not null || weights.Quant is not null)
        {
            throw new GraphException($"quantized inputs need a quantized output, got {outType}");
        }
        return RunRawInteger(g, data, weights, bias, outType);
    }

    private static Tensor RunFloat(Geometry g, Tensor data, Tensor weights, Tensor? bias, TensorType outType)
    {
        (float[] x, int n, int c, int h, int w) = LayoutConversion.ToNchw(data.As<float>(), data.Shape, g.Layout);
        (float[] k, int o, int ci, int kh, int kw) = LayoutConversion.ToOihw(weights.As<float>(), weights.Shape, g.KernelLayout);
        float[]? b = bias?.As<float>();
        (int oh, int ow) = (outType.Shape[g.Layout.HeightAxis()], outType.Shape[g.Layout.WidthAxis()]);
        float[] y = AccumulateNchw(g, x, n, c, h, w, k, o, ci, kh, kw, b, oh, ow);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = QuantizedActivation.ApplyFloat(g.Activation, y[i]);
        }

        return Tensor.FromFloats(outType, LayoutConversion.FromNchw(y, n, o, oh, ow, g.Layout));
    }

    private static Tensor RunQuantized(Geometry g, Tensor data, Tensor weights, Tensor? bias, TensorType outType)
    {
        Quantization dataQ = data.Quant!;
        Quantization weightQ = weights.Quant ?? throw new GraphException("quantized conv needs quantized weights");
        Quantization outQ = outType.Quant!;
        (int ao, _, _, _) = g.KernelLayout.Axes();
        if (weightQ.IsPerChannel && weightQ.Axis != ao)
        {
            throw new GraphException($"weights are quantized along axis {weightQ.Axis}, expected the output-channel axis {ao}");
        }
        int o = weights.Shape[ao];
        int[] multipliers = new int[o];
        int[] shifts = new int[o];
        for (int oc = 0; oc < o; oc++)
        {
            // TFLite: uint8 models use the legacy float product of the scales; int8 ones compute in double.
            double real = FixedPoint.RealMultiplier(dataQ.Scale, weightQ.ScaleAt(oc), outQ.Scale, floatProduct: data.DType == DataType.UInt8);
            (multipliers[oc], shifts[oc]) = FixedPoint.QuantizeMultiplier(real);
        }
        int[] xq = Offset(data.ToInt32Values(), dataQ.ZeroPoint);
        int[] wq = weights.ToInt32Values();
        int[] wChannel = Tensor.ChannelIndexOf(weights.Shape, weightQ);
        for (int i = 0; i < wq.Length; i++)
        {
            wq[i] -= weightQ.ZeroPointAt(wChannel[i]);
        }
        int[] acc = Accumulate(g, xq, data.Shape, wq, weights.Shape, bias, outType.Shape);
        (int min, int max) = QuantizedActivation.Range(g.Activation, outType);
        int[] result = new int[acc.Length];
        int[] outChannel = Tensor.ChannelIndexOf(outType.Shape, g.Layout.ChannelAxis());
        for (int i = 0; i < acc.Length; i++)
        {
            int oc = outChannel[i];
            int v = FixedPoint.MultiplyByQuantizedMultiplier(acc[i], multipliers[oc], shifts[oc]) + outQ.ZeroPoint;
            result[i] = Math.Clamp(v, min, max);
        }
        return Tensor.FromInt32Values(outType, result);
    }

    private static Tensor RunRawInteger(Geometry g, Tensor data, Tensor weights, Tensor? bias, TensorType outType)
    {
        int[] acc = Accumulate(g, data.ToInt32Values(), data.Shape, weights.ToInt32Values(), weights.Shape, bias, outType.Shape);
        (long min, long max) = QuantizedActivation.RawRange(g.Activation, outType.DType);
        int[] result = acc.Select(v => (int)Math.Clamp(v, min, max)).ToArray();
        return Tensor.FromInt32Values(outType, result);
    }

    /// <summary>int32 sums of x * w (plus bias) in the output's layout, wrapping like C's int32.</summary>
    private static int[] Accumulate(Geometry g, int[] data, Shape dataShape, int[] weights, Shape weightShape, Tensor? bias, Shape outShape)
    {
        (int[] x, int n, int c, int h, int w) = LayoutConversion.ToNchw(data, dataShape, g.Layout);
        (int[] k, int o, int ci, int kh, int kw) = LayoutConversion.ToOihw(weights, weightShape, g.KernelLayout);
        int[]? b = bias?.ToInt32Values();
        (int oh, int ow) = (outShape[g.Layout.HeightAxis()], outShape[g.Layout.WidthAxis()]);
        int[] y = AccumulateNchw(g, x, n, c, h, w, k, o, ci, kh, kw, b, oh, ow);
        return LayoutConversion.FromNchw(y, n, o, oh, ow, g.Layout);
    }

    /// <summary>
    /// The convolution loop nest on NCHW / OIHW arrays, before any activation: each output plane accumulates weight ×
    /// shifted input plane, input channel by input channel and tap by tap, so every output element sums its terms in
    /// (ic, ky, kx) order (the LLVM kernels reproduce this order exactly). Taps outside the input add nothing: zero
    /// padding in real terms (x − zeroPoint = 0), as TFLite skips them. int32 sums wrap like C's.
    /// </summary>
    private static T[] AccumulateNchw<T>(Geometry g, T[] x, int n, int c, int h, int w, T[] k, int o, int ci, int kh, int kw, T[]? b, int oh, int ow)
        where T : System.Numerics.INumber<T>
    {
        T[] y = new T[n * o * oh * ow];
        int outPerGroup = o / g.Groups;
        int plane = oh * ow;
        for (int bn = 0; bn < n; bn++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                int yBase = ((bn * o) + oc) * plane;
                Array.Fill(y, b is null ? T.Zero : b[oc], yBase, plane);
                for (int ic = 0; ic < ci; ic++)
                {
                    int xBase = ((bn * c) + ((oc / outPerGroup) * ci) + ic) * h * w;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        for (int kx = 0; kx < kw; kx++)
                        {
                            T weight = k[((((oc * ci) + ic) * kh) + ky) * kw + kx];
                            (int ixOffset, int oxStart, int oxEnd) = ValidColumns(g, kx, w, ow);
                            for (int oy = 0; oy < oh; oy++)
                            {
                                int iy = (oy * g.Strides.H) - g.Pads.Top + (ky * g.Dilations.H);
                                if (iy < 0 || iy >= h)
                                {
                                    continue;
                                }
                                int xRow = xBase + (iy * w) + ixOffset;
                                int yRow = yBase + (oy * ow);
                                for (int ox = oxStart; ox < oxEnd; ox++)
                                {
                                    y[yRow + ox] += weight * x[xRow + (ox * g.Strides.W)];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /// <summary>
    /// For kernel column kx: the input column offset (ix = ox * strideW + ixOffset) and the output columns
    /// [oxStart, oxEnd) whose input column lies inside the input.
    /// </summary>
    private static (int IxOffset, int OxStart, int OxEnd) ValidColumns(Geometry g, int kx, int w, int ow)
    {
        int ixOffset = (kx * g.Dilations.W) - g.Pads.Left;
        int oxStart = 0;
        while (oxStart < ow && (oxStart * g.Strides.W) + ixOffset < 0)
        {
            oxStart++;
        }
        int oxEnd = ow;
        while (oxEnd > oxStart && ((oxEnd - 1) * g.Strides.W) + ixOffset >= w)
        {
            oxEnd--;
        }
        return (ixOffset, oxStart, oxEnd);
    }

    private static int[] Offset(int[] values, int zeroPoint)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] -= zeroPoint;
        }
        return values;
    }
}
