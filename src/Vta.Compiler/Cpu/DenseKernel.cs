using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>Reference fully connected layer (and MatMul through it): float, TFLite-quantized and raw-integer.</summary>
internal static class DenseKernel
{
    public static Tensor Run(Dense op, Tensor x, Tensor w, Tensor? bias, TensorType outType) =>
        Run(op.Activation, x, w, bias, outType);

    /// <summary>a [..., M, K] x b [K, N]: flattens a to rows and runs as a dense layer with weights b^T.</summary>
    public static Tensor Run(MatMul op, Tensor a, Tensor b, TensorType outType)
    {
        _ = op;
        int k = b.Shape[0];
        Tensor rows = a.Reshape(new Shape(a.Length / k, k));
        Tensor weights = ShapeKernels.Transpose(b, [1, 0]);
        TensorType flatOut = outType.WithShape(new Shape(rows.Shape[0], b.Shape[1]));
        return Run(FusedActivation.None, rows, weights, null, flatOut).Reshape(outType.Shape);
    }

    private static Tensor Run(FusedActivation activation, Tensor x, Tensor w, Tensor? bias, TensorType outType)
    {
        int n = x.Shape[0];
        int k = x.Shape[1];
        int units = w.Shape[0];
        if (x.DType == DataType.Float32)
        {
            float[] xf = x.As<float>();
            float[] wf = w.As<float>();
            float[]? bf = bias?.As<float>();
            float[] y = new float[n * units];
            for (int row = 0; row < n; row++)
            {
                for (int u = 0; u < units; u++)
                {
                    float acc = bf is null ? 0f : bf[u];
                    for (int i = 0; i < k; i++)
                    {
                        acc += xf[(row * k) + i] * wf[(u * k) + i];
                    }
                    y[(row * units) + u] = QuantizedActivation.ApplyFloat(activation, acc);
                }
            }
            return Tensor.FromFloats(outType, y);
        }

        bool quantized = x.Quant is not null && outType.Quant is not null;
        int[] xq = x.ToInt32Values();
        int[] wq = w.ToInt32Values();
        int[]? bq = bias?.ToInt32Values();
        int[] multipliers = new int[units];
        int[] shifts = new int[units];
        if (quantized)
        {
            Quantization xQ = x.Quant!;
            Quantization wQ = w.Quant ?? throw new GraphException("quantized dense needs quantized weights");
            if (wQ.IsPerChannel && wQ.Axis != 0)
            {
                throw new GraphException($"dense weights are quantized along axis {wQ.Axis}, expected 0");
            }
            Quantization outQ = outType.Quant!;
            for (int u = 0; u < units; u++)
            {
                // TFLite: a per-tensor multiplier comes from the float product of the scales, per-channel ones from doubles.
                double real = FixedPoint.RealMultiplier(xQ.Scale, wQ.ScaleAt(u), outQ.Scale, floatProduct: !wQ.IsPerChannel);
                (multipliers[u], shifts[u]) = FixedPoint.QuantizeMultiplier(real);
            }
            for (int i = 0; i < xq.Length; i++)
            {
                xq[i] -= xQ.ZeroPoint;
            }
            for (int i = 0; i < wq.Length; i++)
            {
                wq[i] -= wQ.ZeroPointAt(i / k);
            }
        }
        else if (x.Quant is not null || w.Quant is not null)
        {
            throw new GraphException($"quantized inputs need a quantized output, got {outType}");
        }

        int[] result = new int[n * units];
        (long min, long max) = quantized
            ? QuantizedActivation.Range(activation, outType)
            : QuantizedActivation.RawRange(activation, outType.DType);
        for (int row = 0; row < n; row++)
        {
            for (int u = 0; u < units; u++)
            {
                int acc = bq is null ? 0 : bq[u];
                for (int i = 0; i < k; i++)
                {
                    acc = unchecked(acc + (xq[(row * k) + i] * wq[(u * k) + i]));
                }
                long v = quantized
                    ? FixedPoint.MultiplyByQuantizedMultiplier(acc, multipliers[u], shifts[u]) + outType.Quant!.ZeroPoint
                    : acc;
                result[(row * units) + u] = (int)Math.Clamp(v, min, max);
            }
        }
        return Tensor.FromInt32Values(outType, result);
    }
}
