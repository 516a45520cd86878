using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>Reference pooling and mean: float and TFLite-quantized integer arithmetic.</summary>
internal static class PoolKernels
{
    public static Tensor MaxPool(MaxPool op, Tensor x, TensorType outType) =>
        Pool(x, outType, op.Kernel, op.Strides, op.Pads, op.Layout, isMax: true, countIncludePad: false, op.Activation);

    public static Tensor AvgPool(AvgPool op, Tensor x, TensorType outType) =>
        Pool(x, outType, op.Kernel, op.Strides, op.Pads, op.Layout, isMax: false, op.CountIncludePad, op.Activation);

    public static Tensor GlobalAvgPool(GlobalAvgPool op, Tensor x, TensorType outType)
    {
        Size2d kernel = new(x.Shape[op.Layout.HeightAxis()], x.Shape[op.Layout.WidthAxis()]);
        return Pool(x, outType, kernel, Size2d.One, Pads2d.Zero, op.Layout, isMax: false, countIncludePad: false, FusedActivation.None);
    }

    private static Tensor Pool(Tensor x, TensorType outType, Size2d kernel, Size2d strides, Pads2d pads, DataLayout layout,
        bool isMax, bool countIncludePad, FusedActivation activation)
    {
        bool isFloat = x.DType == DataType.Float32;
        double[] values = isFloat ? x.As<float>().Select(v => (double)v).ToArray() : x.ToInt32Values().Select(v => (double)v).ToArray();
        (double[] input, int n, int c, int h, int w) = LayoutConversion.ToNchw(values, x.Shape, layout);
        int oh = outType.Shape[layout.HeightAxis()];
        int ow = outType.Shape[layout.WidthAxis()];
        double[] sums = new double[n * c * oh * ow];
        int[] counts = new int[sums.Length];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int oy = 0; oy < oh; oy++)
                {
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int y0 = (oy * strides.H) - pads.Top, x0 = (ox * strides.W) - pads.Left;
                        double acc = isMax ? double.NegativeInfinity : 0;
                        int count = 0;
                        for (int iy = Math.Max(y0, 0); iy < Math.Min(y0 + kernel.H, h); iy++)
                        {
                            for (int ix = Math.Max(x0, 0); ix < Math.Min(x0 + kernel.W, w); ix++)
                            {
                                double v = input[((((b * c) + ch) * h) + iy) * w + ix];
                                acc = isMax ? Math.Max(acc, v) : acc + v;
                                count++;
                            }
                        }
                        if (countIncludePad)
                        {
                            // The window clipped to the padded input (ONNX count_include_pad).
                            int yEnd = Math.Min(y0 + kernel.H, h + pads.Bottom), xEnd = Math.Min(x0 + kernel.W, w + pads.Right);
                            count = (yEnd - y0) * (xEnd - x0);
                        }
                        if (count == 0)
                        {
                            throw new GraphException($"pooling window at ({oy},{ox}) covers no input element");
                        }
                        int o = ((((b * c) + ch) * oh) + oy) * ow + ox;
                        sums[o] = acc;
                        counts[o] = count;
                    }
                }
            }
        }
        sums = LayoutConversion.FromNchw(sums, n, c, oh, ow, layout);
        counts = LayoutConversion.FromNchw(counts, n, c, oh, ow, layout);
        if (isFloat)
        {
            float[] y = new float[sums.Length];
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = QuantizedActivation.ApplyFloat(activation, isMax ? (float)sums[i] : (float)(sums[i] / counts[i]));
            }
            return Tensor.FromFloats(outType, y);
        }
        int[] result = new int[sums.Length];
        (long min, long max) = outType.Quant is null ? QuantizedActivation.RawRange(activation, outType.DType) : QuantizedActivation.Range(activation, outType);
        for (int i = 0; i < result.Length; i++)
        {
            long v = isMax ? (long)sums[i] : IntegerAverage((int)sums[i], counts[i], x.Quant, outType.Quant);
            result[i] = (int)Math.Clamp(v, min, max);
        }
        return Tensor.FromInt32Values(outType, result);
    }

    /// <summary>
    /// TFLite's integer average: the sum divided by the count, rounded half away from zero. When the output has
    /// other quantization parameters, the sum of (q - zp) is requantized with a fixed-point multiplier instead.
    /// </summary>
    internal static int IntegerAverage(int sum, int count, Quantization? inQ, Quantization? outQ)
    {
        if (inQ is null || outQ is null || inQ == outQ)
        {
            return sum > 0 ? (sum + (count / 2)) / count : (sum - (count / 2)) / count;
        }
        (int m, int s) = FixedPoint.QuantizeMultiplier((double)inQ.Scale / ((double)outQ.Scale * count));
        int centered = sum - (inQ.ZeroPoint * count);
        return FixedPoint.MultiplyByQuantizedMultiplier(centered, m, s) + outQ.ZeroPoint;
    }

    /// <summary>Mean over axes. Quantized as TFLite's reference: integer sum, then the rounded average or a rescale.</summary>
    public static Tensor Mean(Mean op, Tensor x, TensorType outType)
    {
        HashSet<int> axes = op.NormalizedAxes(x.Shape);
        int[] strides = x.Shape.Strides();
        // Output index of each input element: drop (or zero) the reduced axes.
        int[] keptDims = Enumerable.Range(0, x.Shape.Rank).Select(d => axes.Contains(d) ? 1 : x.Shape[d]).ToArray();
        int[] keptStrides = new Shape(keptDims).Strides();
        int outCount = outType.Shape.ElementCount;
        double[] sums = new double[outCount];
        int[] counts = new int[outCount];
        double[] values = x.DType == DataType.Float32 ? x.As<float>().Select(v => (double)v).ToArray() : x.ToInt32Values().Select(v => (double)v).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            int o = 0;
            for (int d = 0; d < strides.Length; d++)
            {
                if (!axes.Contains(d))
                {
                    o += i / strides[d] % x.Shape[d] * keptStrides[d];
                }
            }
            sums[o] += values[i];
            counts[o]++;
        }
        if (x.DType == DataType.Float32)
        {
            return Tensor.FromFloats(outType, sums.Select((s, i) => (float)(s / counts[i])).ToArray());
        }
        long min = outType.DType.MinValue(), max = outType.DType.MaxValue();
        int[] result = sums.Select((s, i) => (int)Math.Clamp(IntegerAverage((int)s, counts[i], x.Quant, outType.Quant), min, max)).ToArray();
        return Tensor.FromInt32Values(outType, result);
    }
}
