using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>
/// Reference softmax. Float: exp(beta (x - max)) / sum. Quantized with an output of scale 1/256 and zero point at
/// the type's minimum (what TFLite requires): TFLite's integer reference kernel (gemmlowp exp and reciprocal).
/// Other quantized outputs: dequantize, float softmax, quantize.
/// </summary>
internal static class SoftmaxKernel
{
    private const int ScaledDiffIntegerBits = 5;
    private const int AccumulationIntegerBits = 12;

    public static Tensor Run(Softmax op, Tensor x, TensorType outType)
    {
        int axis = x.Shape.NormalizeAxis(op.Axis);
        int depth = x.Shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < x.Shape.Rank; d++)
        {
            inner *= x.Shape[d];
        }
        int outer = x.Length / (depth * inner);
        if (x.DType == DataType.Float32 || x.Quant is null || outType.Quant is null)
        {
            if (x.DType != DataType.Float32)
            {
                throw new GraphException("softmax on integers needs quantized input and output");
            }
            return Tensor.FromFloats(outType, FloatSoftmax(x.As<float>(), outer, depth, inner, op.Beta));
        }
        Quantization qo = outType.Quant;
        bool tfliteOutput = qo.Scale == 1f / 256 && qo.ZeroPoint == outType.DType.MinValue();
        if (!tfliteOutput || outType.DType.ByteSize() != 1)
        {
            float[] probabilities = FloatSoftmax(x.Dequantize(), outer, depth, inner, op.Beta);
            return QuantizeKernels.Quantize(Tensor.FromFloats(outType.WithQuant(null) with { DType = DataType.Float32 }, probabilities), outType);
        }
        return Tensor.FromInt32Values(outType, IntegerSoftmax(x.ToInt32Values(), outer, depth, inner, op.Beta, x.Quant.Scale, outType.DType));
    }

    private static float[] FloatSoftmax(float[] x, int outer, int depth, int inner, float beta)
    {
        float[] y = new float[x.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int Index(int c) => (((o * depth) + c) * inner) + i;
                float max = float.NegativeInfinity;
                for (int c = 0; c < depth; c++)
                {
                    max = Math.Max(max, x[Index(c)]);
                }
                float sum = 0;
                for (int c = 0; c < depth; c++)
                {
                    y[Index(c)] = MathF.Exp((x[Index(c)] - max) * beta);
                    sum += y[Index(c)];
                }
                for (int c = 0; c < depth; c++)
                {
                    y[Index(c)] /= sum;
                }
            }
        }
        return y;
    }

    private static int[] IntegerSoftmax(int[] x, int outer, int depth, int inner, float beta, float inputScale, DataType outDType)
    {
        // PreprocessSoftmaxScaling: beta * scale as a Q5.26 multiplier; differences below -radius contribute nothing.
        double realMultiplier = Math.Min((double)beta * inputScale * (1 << (31 - ScaledDiffIntegerBits)), (1L << 31) - 1.0);
        (int multiplier, int leftShift) = FixedPoint.QuantizeMultiplier(realMultiplier);
        double maxInputRescaled = 1.0 * ((1 << ScaledDiffIntegerBits) - 1) * (1L << (31 - ScaledDiffIntegerBits)) / (1L << leftShift);
        int diffMin = -(int)Math.Floor(maxInputRescaled);
        int outMin = (int)outDType.MinValue(), outMax = (int)outDType.MaxValue();
        int exponent = 31 - (outDType.ByteSize() * 8);
        int[] y = new int[x.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int Index(int c) => (((o * depth) + c) * inner) + i;
                int max = int.MinValue;
                for (int c = 0; c < depth; c++)
                {
                    max = Math.Max(max, x[Index(c)]);
                }
                int sumOfExps = 0; // 12 integer bits
                for (int c = 0; c < depth; c++)
                {
                    int diff = x[Index(c)] - max;
                    if (diff >= diffMin)
                    {
                        int exp = FixedPointExp.ExpOnNegativeValues(ScaledDiff(diff, multiplier, leftShift), ScaledDiffIntegerBits);
                        sumOfExps = unchecked(sumOfExps + FixedPoint.MultiplyByPot(exp, -AccumulationIntegerBits));
                    }
                }
                int shiftedScale = FixedPointExp.GetReciprocal(sumOfExps, AccumulationIntegerBits, out int numBitsOverUnit);
                for (int c = 0; c < depth; c++)
                {
                    int diff = x[Index(c)] - max;
                    if (diff >= diffMin)
                    {
                        int exp = FixedPointExp.ExpOnNegativeValues(ScaledDiff(diff, multiplier, leftShift), ScaledDiffIntegerBits);
                        int unsaturated = FixedPoint.RoundingDivideByPot(
                            FixedPoint.SaturatingRoundingDoublingHighMul(shiftedScale, exp), numBitsOverUnit + exponent);
                        y[Index(c)] = Math.Clamp(unsaturated + outMin, outMin, outMax);
                    }
                    else
                    {
                        y[Index(c)] = outMin;
                    }
                }
            }
        }
        return y;
    }

    /// <summary>
    /// The integer softmax's terms for each difference x − max = −d, d = 0..255, computed by the code above: the exp,
    /// and its share of the sum. A difference below the cut-off gets 0 for both, which gives exactly what skipping it
    /// gives (output at the minimum, nothing added), so a kernel can look every difference up without a test.
    /// </summary>
    internal static (int[] Exps, int[] Terms) IntegerExpTable(float beta, float inputScale)
    {
        double realMultiplier = Math.Min((double)beta * inputScale * (1 << (31 - ScaledDiffIntegerBits)), (1L << 31) - 1.0);
        (int multiplier, int leftShift) = FixedPoint.QuantizeMultiplier(realMultiplier);
        double maxInputRescaled = 1.0 * ((1 << ScaledDiffIntegerBits) - 1) * (1L << (31 - ScaledDiffIntegerBits)) / (1L << leftShift);
        int diffMin = -(int)Math.Floor(maxInputRescaled);
        int[] exps = new int[256], terms = new int[256];
        for (int d = 0; d < 256; d++)
        {
            if (-d >= diffMin)
            {
                exps[d] = FixedPointExp.ExpOnNegativeValues(ScaledDiff(-d, multiplier, leftShift), ScaledDiffIntegerBits);
                terms[d] = FixedPoint.MultiplyByPot(exps[d], -AccumulationIntegerBits);
            }
        }
        return (exps, terms);
    }

    /// <summary>True when <see cref="Run"/> takes TFLite's integer path for these types.</summary>
    internal static bool IsIntegerPath(TensorType x, TensorType outType) =>
        x.DType != DataType.Float32 && x.Quant is not null && outType.Quant is { } qo
        && qo.Scale == 1f / 256 && qo.ZeroPoint == outType.DType.MinValue() && outType.DType.ByteSize() == 1;

    /// <summary>MultiplyByQuantizedMultiplierGreaterThanOne: the input difference in Q5.26.</summary>
    private static int ScaledDiff(int diff, int multiplier, int leftShift) =>
        FixedPoint.SaturatingRoundingDoublingHighMul(unchecked(diff * (1 << leftShift)), multiplier);
}
