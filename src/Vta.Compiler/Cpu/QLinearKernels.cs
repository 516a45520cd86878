using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>
/// Reference kernels for the ONNX quantized ops (<see cref="QLinearOp"/>), reproducing ONNX Runtime's CPU
/// arithmetic: exact int32 accumulation, then float32 scaling rounded half to even (MLAS MlasRequantizeOutput,
/// MlasQuantizeLinear), and for QLinearAdd the fused multiply-adds of MLAS's AVX2 kernel (x64 ONNX Runtime; other
/// builds of it may round a rare value differently).
/// </summary>
internal static class QLinearKernels
{
    public static Tensor Run(QLinearOp op, IReadOnlyList<Tensor> inputs, TensorType outType)
    {
        Quantization outQ = outType.Quant ?? throw new GraphException($"{op.Kind} needs the output's quantization declared");
        return op switch
        {
            QuantizeLinear => Quantize(inputs[0], outType, outQ),
            QLinearConv2d c => Conv(c, inputs[0], inputs[1], inputs.Count > 2 ? inputs[2] : null, outType, outQ),
            QLinearMatMul => MatMul(inputs[0], inputs[1], outType, outQ),
            QLinearAdd => Add(inputs[0], inputs[1], outType, outQ),
            QLinearGlobalAvgPool => GlobalAvgPool(inputs[0], outType, outQ),
            _ => throw new GraphException($"no kernel for {op.Kind}"),
        };
    }

    private static Tensor Quantize(Tensor x, TensorType outType, Quantization q)
    {
        float[] xf = x.As<float>();
        int[] channel = Tensor.ChannelIndexOf(outType.Shape, q);
        int[] y = new int[xf.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = Saturate(RoundHalfEven(xf[i] / q.ScaleAt(channel[i])) + q.ZeroPointAt(channel[i]), outType.DType);
        }
        return Tensor.FromInt32Values(outType, y);
    }

    private static Tensor Conv(QLinearConv2d op, Tensor x, Tensor w, Tensor? bias, TensorType outType, Quantization outQ)
    {
        Quantization xq = x.Quant!, wq = w.Quant!;
        Tensor xc = Centered(x, xq, -1);
        Tensor wc = Centered(w, wq, 0);
        Tensor? b = bias is null ? null : Tensor.FromInt32Values(new TensorType(DataType.Int32, bias.Shape), bias.ToInt32Values());
        TensorType accType = new(DataType.Int32, outType.Shape);
        int[] acc = ConvKernel.Run(op.ToConv2d(), xc, wc, b, accType).As<int>();
        float[] scales = OutputScales(xq.Scale, wq, outQ.Scale, w.Shape[0]);
        int[] channel = Tensor.ChannelIndexOf(outType.Shape, 1);
        return Requantize(acc, i => scales[channel[i]], outType, outQ.ZeroPoint);
    }

    private static Tensor MatMul(Tensor a, Tensor b, TensorType outType, Quantization outQ)
    {
        Quantization aq = a.Quant!, bq = b.Quant!;
        int k = b.Shape[0], n = b.Shape[1], rows = a.Length / k;
        int[] av = Centered(a, aq, -1).As<int>();
        int[] bv = Centered(b, bq, 1).As<int>();
        int[] acc = new int[rows * n];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < k; i++)
            {
                int x = av[(r * k) + i];
                for (int j = 0; j < n; j++)
                {
                    acc[(r * n) + j] = unchecked(acc[(r * n) + j] + (x * bv[(i * n) + j]));
                }
            }
        }
        float[] scales = OutputScales(aq.Scale, bq, outQ.Scale, n);
        return Requantize(acc, i => scales[i % n], outType, outQ.ZeroPoint);
    }

    private static Tensor Add(Tensor a, Tensor b, TensorType outType, Quantization outQ)
    {
        Quantization qa = a.Quant!, qb = b.Quant!;
        float ratioA = qa.Scale / outQ.Scale;
        float ratioB = qb.Scale / outQ.Scale;
        // ORT's build contracts ratioA * za + ratioB * zb into one fused multiply-add (the tests pin the order).
        float constant = outQ.ZeroPoint - MathF.FusedMultiplyAdd(ratioA, qa.ZeroPoint, ratioB * qb.ZeroPoint);
        int[] ia = Broadcasting.SourceIndices(a.Shape, outType.Shape);
        int[] ib = Broadcasting.SourceIndices(b.Shape, outType.Shape);
        int[] va = a.ToInt32Values(), vb = b.ToInt32Values();
        int[] y = new int[ia.Length];
        for (int i = 0; i < y.Length; i++)
        {
            // The b term first, then a, each one fused multiply-add (also for a broadcast or scalar side).
            float v = MathF.FusedMultiplyAdd(va[ia[i]], ratioA, MathF.FusedMultiplyAdd(vb[ib[i]], ratioB, constant));
            y[i] = Saturate(RoundHalfEven(v), outType.DType);
        }
        return Tensor.FromInt32Values(outType, y);
    }

    private static Tensor GlobalAvgPool(Tensor x, TensorType outType, Quantization outQ)
    {
        Quantization xq = x.Quant!;
        int plane = x.Shape[2] * x.Shape[3];
        int[] v = x.ToInt32Values();
        int[] acc = new int[v.Length / plane];
        for (int c = 0; c < acc.Length; c++)
        {
            int sum = -xq.ZeroPoint * plane;
            for (int i = 0; i < plane; i++)
            {
                sum += v[(c * plane) + i];
            }
            acc[c] = sum;
        }
        float scale = xq.Scale / (outQ.Scale * plane);
        return Requantize(acc, _ => scale, outType, outQ.ZeroPoint);
    }

    /// <summary>MLAS MlasRequantizeOutput: float(acc) * scale, rounded half to even, plus the zero point, saturated.</summary>
    private static Tensor Requantize(int[] acc, Func<int, float> scaleOf, TensorType outType, int zeroPoint)
    {
        int[] y = new int[acc.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = Saturate(RoundHalfEven(acc[i] * scaleOf(i)) + zeroPoint, outType.DType);
        }
        return Tensor.FromInt32Values(outType, y);
    }

    /// <summary>ORT's per-channel output scales: (sx * sw[c]) / sy, each step in float32.</summary>
    internal static float[] OutputScales(float inputScale, Quantization weightQ, float outputScale, int channels)
    {
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            float product = inputScale * weightQ.ScaleAt(c);
            scales[c] = product / outputScale;
        }
        return scales;
    }

    /// <summary>q - zeroPoint as a plain int32 tensor (per channel along <paramref name="axis"/>, or per tensor when -1).</summary>
    private static Tensor Centered(Tensor t, Quantization q, int axis)
    {
        int[] v = t.ToInt32Values();
        int[] channel = Tensor.ChannelIndexOf(t.Shape, q.IsPerChannel ? axis : -1);
        for (int i = 0; i < v.Length; i++)
        {
            v[i] -= q.ZeroPointAt(channel[i]);
        }
        return Tensor.FromInt32Values(new TensorType(DataType.Int32, t.Shape), v);
    }

    /// <summary>Round half to even, as SSE's cvtps2dq and NEON's vcvtnq do; out-of-range values saturate later.</summary>
    internal static long RoundHalfEven(float v) =>
        float.IsNaN(v) ? 0 : (long)Math.Clamp(MathF.Round(v, MidpointRounding.ToEven), int.MinValue, int.MaxValue);

    private static int Saturate(long v, DataType type) => (int)Math.Clamp(v, type.MinValue(), type.MaxValue());
}
