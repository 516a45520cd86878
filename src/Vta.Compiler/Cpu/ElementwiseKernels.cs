using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>Reference element-wise ops with broadcasting: float, TFLite-quantized (add, sub, mul) and raw integer.</summary>
internal static class ElementwiseKernels
{
    public static Tensor Binary(BinaryElementwiseOp op, Tensor a, Tensor b, TensorType outType)
    {
        int[] ia = Broadcasting.SourceIndices(a.Shape, outType.Shape);
        int[] ib = Broadcasting.SourceIndices(b.Shape, outType.Shape);
        if (a.DType == DataType.Float32)
        {
            float[] fa = a.As<float>();
            float[] fb = b.As<float>();
            float[] y = new float[ia.Length];
            for (int i = 0; i < y.Length; i++)
            {
                float v = op switch
                {
                    Add => fa[ia[i]] + fb[ib[i]],
                    Sub => fa[ia[i]] - fb[ib[i]],
                    Mul => fa[ia[i]] * fb[ib[i]],
                    _ => throw new GraphException($"{op.Kind} is not defined on float32"),
                };
                y[i] = QuantizedActivation.ApplyFloat(op.Activation, v);
            }
            return Tensor.FromFloats(outType, y);
        }
        if (a.Quant is not null && b.Quant is not null && outType.Quant is not null)
        {
            return op is Mul ? QuantizedMul(op, a, b, ia, ib, outType) : QuantizedAddSub(op, a, b, ia, ib, outType);
        }
        if (a.Quant is not null || b.Quant is not null || outType.Quant is not null)
        {
            throw new GraphException($"{op.Kind} needs both inputs and the output quantized, or none");
        }
        return RawInteger(op, a, b, ia, ib, outType);
    }

    /// <summary>TFLite's quantized ADD/SUB: both inputs rescaled to 2 x max scale with 20 bits of headroom, summed, requantized.</summary>
    private static Tensor QuantizedAddSub(BinaryElementwiseOp op, Tensor a, Tensor b, int[] ia, int[] ib, TensorType outType)
    {
        const int LeftShift = 20;
        Quantization qa = a.Quant!, qb = b.Quant!, qo = outType.Quant!;
        double twiceMaxInputScale = 2 * (double)Math.Max(qa.Scale, qb.Scale);
        (int m1, int s1) = FixedPoint.QuantizeMultiplier(qa.Scale / twiceMaxInputScale);
        (int m2, int s2) = FixedPoint.QuantizeMultiplier(qb.Scale / twiceMaxInputScale);
        (int mo, int so) = FixedPoint.QuantizeMultiplier(twiceMaxInputScale / ((1 << LeftShift) * (double)qo.Scale));
        (int min, int max) = QuantizedActivation.Range(op.Activation, outType);
        int[] va = a.ToInt32Values();
        int[] vb = b.ToInt32Values();
        int[] y = new int[ia.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int x1 = (va[ia[i]] - qa.ZeroPoint) * (1 << LeftShift);
            int x2 = (vb[ib[i]] - qb.ZeroPoint) * (1 << LeftShift);
            int scaled1 = FixedPoint.MultiplyByQuantizedMultiplier(x1, m1, s1);
            int scaled2 = FixedPoint.MultiplyByQuantizedMultiplier(x2, m2, s2);
            int raw = op is Sub ? scaled1 - scaled2 : scaled1 + scaled2;
            int v = FixedPoint.MultiplyByQuantizedMultiplier(raw, mo, so) + qo.ZeroPoint;
            y[i] = Math.Clamp(v, min, max);
        }
        return Tensor.FromInt32Values(outType, y);
    }

    /// <summary>TFLite's quantized MUL: (a - za)(b - zb) requantized by sa sb / so.</summary>
    private static Tensor QuantizedMul(BinaryElementwiseOp op, Tensor a, Tensor b, int[] ia, int[] ib, TensorType outType)
    {
        Quantization qa = a.Quant!, qb = b.Quant!, qo = outType.Quant!;
        (int m, int s) = FixedPoint.QuantizeMultiplier((double)qa.Scale * qb.Scale / qo.Scale);
        (int min, int max) = QuantizedActivation.Range(op.Activation, outType);
        int[] va = a.ToInt32Values();
        int[] vb = b.ToInt32Values();
        int[] y = new int[ia.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int raw = (va[ia[i]] - qa.ZeroPoint) * (vb[ib[i]] - qb.ZeroPoint);
            y[i] = Math.Clamp(FixedPoint.MultiplyByQuantizedMultiplier(raw, m, s) + qo.ZeroPoint, min, max);
        }
        return Tensor.FromInt32Values(outType, y);
    }

    /// <summary>Plain integers: the result wraps to the element type, as C arithmetic stored in that type does.</summary>
    private static Tensor RawInteger(BinaryElementwiseOp op, Tensor a, Tensor b, int[] ia, int[] ib, TensorType outType)
    {
        long[] va = a.ToInt64Values();
        long[] vb = b.ToInt64Values();
        (long min, long max) = QuantizedActivation.RawRange(op.Activation, outType.DType);
        long[] y = new long[ia.Length];
        for (int i = 0; i < y.Length; i++)
        {
            long x1 = va[ia[i]], x2 = vb[ib[i]];
            long v = op switch
            {
                Add => x1 + x2,
                Sub => x1 - x2,
                Mul => x1 * x2,
                RightShift when x2 >= 0 => x1 >> (int)Math.Min(x2, 63),
                RightShift => throw new GraphException($"negative shift amount {x2}"),
                _ => throw new GraphException($"{op.Kind} is not defined on integers"),
            };
            y[i] = Math.Clamp(CastKernel.Wrap(v, outType.DType), min, max);
        }
        return CastKernel.FromInt64(outType, y);
    }

    public static Tensor Relu(Tensor x, TensorType outType)
    {
        if (x.DType == DataType.Float32)
        {
            return Tensor.FromFloats(outType, x.As<float>().Select(v => Math.Max(v, 0f)).ToArray());
        }
        int floor = x.Quant?.ZeroPoint ?? 0;
        return Tensor.FromInt32Values(outType, x.ToInt32Values().Select(v => Math.Max(v, floor)).ToArray());
    }

    public static Tensor Clip(Clip op, Tensor x, TensorType outType)
    {
        if (x.DType == DataType.Float32)
        {
            return Tensor.FromFloats(outType, x.As<float>().Select(v => Math.Clamp(v, op.Min, op.Max)).ToArray());
        }
        long min = x.DType.MinValue(), max = x.DType.MaxValue();
        if (x.Quant is { } q)
        {
            if (!float.IsNegativeInfinity(op.Min))
            {
                min = Math.Max(min, q.ZeroPoint + FixedPoint.RoundToInt(op.Min / q.Scale));
            }
            if (!float.IsPositiveInfinity(op.Max))
            {
                max = Math.Min(max, q.ZeroPoint + FixedPoint.RoundToInt(op.Max / q.Scale));
            }
        }
        else
        {
            min = Math.Max(min, (long)Math.Max(Math.Ceiling(op.Min), min));
            max = Math.Min(max, (long)Math.Min(Math.Floor(op.Max), max));
        }
        return CastKernel.FromInt64(outType, x.ToInt64Values().Select(v => Math.Clamp(v, min, max)).ToArray());
    }

    /// <summary>Inference batch norm along the channel axis, in float.</summary>
    public static Tensor BatchNorm(BatchNorm op, Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, TensorType outType)
    {
        int axis = x.Shape.NormalizeAxis(op.Axis);
        int[] channel = Tensor.ChannelIndexOf(x.Shape, axis);
        float[] xf = x.As<float>(), g = gamma.As<float>(), b = beta.As<float>(), m = mean.As<float>(), v = variance.As<float>();
        float[] y = new float[xf.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int c = channel[i];
            y[i] = (g[c] * (xf[i] - m[c]) / MathF.Sqrt(v[c] + op.Epsilon)) + b[c];
        }
        return Tensor.FromFloats(outType, y);
    }
}
