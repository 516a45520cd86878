using Vta.Compiler.Cpu;

namespace Vta.Compiler.Quant;

/// <summary>Which model's own requantization an exact VTA layer's host finish reproduces.</summary>
public enum ExactRequantKind
{
    /// <summary>ONNX Runtime (MLAS): round half to even of float32(acc) · float32 scale, + zero point, saturate.</summary>
    OnnxFloat,

    /// <summary>TFLite: the 31-bit fixed-point multiplier and shift (MultiplyByQuantizedMultiplier), + zero point, clamp.</summary>
    TfliteFixedPoint,
}

/// <summary>
/// The exact form of a pre-quantized layer: VTA runs the model's own int8 weights and exports the int32 sums (the GEMM is
/// exact), and the host applies the model's own requantization to them, so the layer's output is the model's, bit for bit.
/// The sums leave VTA as byte planes: plane p is the STORE's truncation of (acc &gt;&gt; 8p) (an ALU SHR 8 between stores),
/// enough planes for the layer's largest possible |acc|. Parameters per output channel are stacked int32 rows: OnnxFloat one
/// row of float32 bits, TfliteFixedPoint two rows (multiplier, shift).
/// </summary>
public static class ExactRequantization
{
    public const int MaxPlanes = 4;

    /// <summary>Rows of parameters per channel for <paramref name="kind"/>.</summary>
    public static int Rows(ExactRequantKind kind) => kind == ExactRequantKind.OnnxFloat ? 1 : 2;

    /// <summary>ONNX Runtime's per-channel scales (<see cref="QLinearKernels.OutputScales"/>) as one row of float bits.</summary>
    public static int[] OnnxRows(float inputScale, Graphs.Quantization weightQ, float outputScale, int channels) =>
        [.. QLinearKernels.OutputScales(inputScale, weightQ, outputScale, channels).Select(BitConverter.SingleToInt32Bits)];

    /// <summary>TFLite's fixed-point multipliers and shifts of the real multipliers, as two rows.</summary>
    public static int[] TfliteRows(IReadOnlyList<double> realMultipliers)
    {
        int o = realMultipliers.Count;
        var rows = new int[2 * o];
        for (int c = 0; c < o; c++)
        {
            (rows[c], rows[o + c]) = FixedPoint.QuantizeMultiplier(realMultipliers[c]);
        }

        return rows;
    }

    /// <summary>One output: the model's requantization of <paramref name="acc"/> (sums plus bias) for output channel <paramref name="c"/> of <paramref name="channels"/>.</summary>
    public static int Requantize(ExactRequantKind kind, ReadOnlySpan<int> rows, int channels, int c, int acc, int zeroPoint, int min, int max)
    {
        long v = kind == ExactRequantKind.OnnxFloat
            ? QLinearKernels.RoundHalfEven(acc * BitConverter.Int32BitsToSingle(rows[c]))
            : FixedPoint.MultiplyByQuantizedMultiplier(acc, rows[c], rows[channels + c]);
        return (int)Math.Clamp(v + zeroPoint, min, max);
    }

    /// <summary>How many byte planes hold every sum of magnitude at most <paramref name="maxAbs"/>, or −1 when even four do not.</summary>
    public static int PlanesFor(long maxAbs)
    {
        for (int p = 1; p <= MaxPlanes; p++)
        {
            if (maxAbs < 1L << ((8 * p) - 1))
            {
                return p;
            }
        }

        return -1;
    }

    /// <summary>
    /// The host finish over a packed output: <paramref name="planes"/> holds <paramref name="count"/> planes of the packed
    /// sums (each of <paramref name="sums"/>, plane p at p·sums.Elements); each sum is put back together (low planes
    /// unsigned, the top one signed), the input sum (channel <paramref name="channels"/>) added <paramref name="sumFactor"/>
    /// times when there is one, and requantized with its channel's parameters into the packed <paramref name="output"/>.
    /// Padded channels get the zero point, as the folded form gives them.
    /// </summary>
    public static sbyte[] FinishPacked(ReadOnlySpan<byte> planes, int count, Models.PackedShape sums, Models.PackedShape output, ExactRequantKind kind,
        ReadOnlySpan<int> rows, int channels, int zeroPoint, int min, int max, int sumFactor = 0)
    {
        long planeElements = sums.Elements;
        if (planes.Length < planeElements * count)
        {
            throw new ArgumentException($"{planes.Length} bytes hold fewer than {count} planes of {planeElements}", nameof(planes));
        }

        int block = output.Block, vectors = output.Height * output.Width * output.Batch;
        var result = new sbyte[output.Elements];
        long i = 0;
        for (int nb = 0; nb < output.BatchBlocks; nb++)
        {
            // Where the input sum of each vector is: channel `channels` of the sums.
            long sumBase = ((((long)nb * sums.ChannelBlocks) + (channels / block)) * vectors * block) + (channels % block);
            for (int cb = 0; cb < output.ChannelBlocks; cb++)
            {
                long from = (((long)nb * sums.ChannelBlocks) + cb) * vectors * block;
                for (int v = 0; v < vectors; v++)
                {
                    int inputSum = sumFactor == 0 ? 0 : Assemble(planes, count, planeElements, sumBase + ((long)v * block));
                    for (int lane = 0; lane < block; lane++, i++)
                    {
                        int c = (cb * block) + lane;
                        int acc = unchecked(Assemble(planes, count, planeElements, from + ((long)v * block) + lane) + (sumFactor * inputSum));
                        result[i] = (sbyte)(c < channels ? Requantize(kind, rows, channels, c, acc, zeroPoint, min, max) : Math.Clamp(zeroPoint, min, max));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>The int32 at element <paramref name="at"/> of the planes: the top plane signed, the others unsigned.</summary>
    private static int Assemble(ReadOnlySpan<byte> planes, int count, long planeElements, long at)
    {
        int acc = (sbyte)planes[(int)(((count - 1) * planeElements) + at)];
        for (int p = count - 2; p >= 0; p--)
        {
            acc = (acc << 8) | planes[(int)((p * planeElements) + at)];
        }

        return acc;
    }
}
