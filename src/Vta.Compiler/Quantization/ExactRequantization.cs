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

    /// <summary>ONNX Runtime's per-channel scales, (s_x · s_w,c) / s_y with each step in float32, as one row of float bits.</summary>
    public static int[] OnnxRows(float inputScale, Func<int, float> weightScale, float outputScale, int channels)
    {
        var rows = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            float product = inputScale * weightScale(c);
            rows[c] = BitConverter.SingleToInt32Bits(product / outputScale);
        }

        return rows;
    }

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
    /// layout (plane p at p·shape.Elements); each element's sum is put back together (low planes unsigned, the top one
    /// signed) and requantized with its channel's parameters. Padded channels (beyond <paramref name="channels"/>) get the
    /// zero point, as the folded form gives them.
    /// </summary>
    public static sbyte[] FinishPacked(ReadOnlySpan<byte> planes, int count, Models.PackedShape shape, ExactRequantKind kind, ReadOnlySpan<int> rows,
        int channels, int zeroPoint, int min, int max)
    {
        long elements = shape.Elements;
        if (planes.Length < elements * count)
        {
            throw new ArgumentException($"{planes.Length} bytes hold fewer than {count} planes of {elements}", nameof(planes));
        }

        var output = new sbyte[elements];
        int block = shape.Block, vectors = shape.Height * shape.Width * shape.Batch;
        long i = 0;
        for (int nb = 0; nb < shape.BatchBlocks; nb++)
        {
            for (int cb = 0; cb < shape.ChannelBlocks; cb++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    for (int lane = 0; lane < block; lane++, i++)
                    {
                        int acc = (sbyte)planes[(int)(((count - 1) * elements) + i)];
                        for (int p = count - 2; p >= 0; p--)
                        {
                            acc = (acc << 8) | planes[(int)((p * elements) + i)];
                        }

                        int c = (cb * block) + lane;
                        output[i] = (sbyte)(c < channels ? Requantize(kind, rows, channels, c, acc, zeroPoint, min, max) : Math.Clamp(zeroPoint, min, max));
                    }
                }
            }
        }

        return output;
    }
}
