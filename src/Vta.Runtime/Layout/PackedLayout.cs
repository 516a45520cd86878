namespace Vta.Runtime.Layout;

/// <summary>
/// Host-side conversion between plain NCHW/OIHW tensors and VTA's blocked layouts. Missing batch rows and output
/// channels (when a count is not a whole number of blocks) are zero on the way in and dropped on the way out.
/// </summary>
public static class PackedLayout
{
    /// <summary>NCHW int8 → (⌈N/b⌉, C/c, H, W, b, c); C must be a multiple of c.</summary>
    public static sbyte[] PackActivations(ReadOnlySpan<sbyte> nchw, int n, int c, int h, int w, int batch, int block)
    {
        int nb = Blocks(n, batch), cb = c / block;
        var packed = new sbyte[(long)nb * batch * c * h * w];
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int src = ((i * c) + ch) * h * w;
                long dst = ((((long)(i / batch) * cb) + (ch / block)) * h * w * batch + (i % batch)) * block + (ch % block);
                for (int p = 0; p < h * w; p++)
                {
                    packed[dst + ((long)p * batch * block)] = nchw[src + p];
                }
            }
        }

        return packed;
    }

    /// <summary>(⌈N/b⌉, ⌈C/c⌉, H, W, b, c) → NCHW, dropping padded rows and channels.</summary>
    public static sbyte[] UnpackActivations(ReadOnlySpan<sbyte> packed, int n, int c, int h, int w, int batch, int block)
    {
        int cb = Blocks(c, block);
        var nchw = new sbyte[n * c * h * w];
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int dst = ((i * c) + ch) * h * w;
                long src = ((((long)(i / batch) * cb) + (ch / block)) * h * w * batch + (i % batch)) * block + (ch % block);
                for (int p = 0; p < h * w; p++)
                {
                    nchw[dst + p] = packed[(int)(src + ((long)p * batch * block))];
                }
            }
        }

        return nchw;
    }

    /// <summary>OIHW int8 → (⌈O/co⌉, I/ci, KH, KW, co, ci); I must be a multiple of ci.</summary>
    public static sbyte[] PackWeights(ReadOnlySpan<sbyte> oihw, int o, int i, int kh, int kw, int blockOut, int blockIn)
    {
        int ob = Blocks(o, blockOut), ib = i / blockIn, taps = kh * kw;
        var packed = new sbyte[(long)ob * blockOut * i * taps];
        for (int oc = 0; oc < o; oc++)
        {
            for (int ic = 0; ic < i; ic++)
            {
                for (int t = 0; t < taps; t++)
                {
                    long dst = ((((long)(oc / blockOut) * ib) + (ic / blockIn)) * taps + t) * blockOut * blockIn + ((oc % blockOut) * blockIn) + (ic % blockIn);
                    packed[dst] = oihw[(((oc * i) + ic) * taps) + t];
                }
            }
        }

        return packed;
    }

    /// <summary>Transposed-convolution weights IOHW → OIHW{o}o{i}i (I and O swapped; the kernel is not flipped).</summary>
    public static sbyte[] PackTransposeWeights(ReadOnlySpan<sbyte> iohw, int i, int o, int k, int blockOut, int blockIn)
    {
        var oihw = new sbyte[o * i * k * k];
        for (int ic = 0; ic < i; ic++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                iohw.Slice(((ic * o) + oc) * k * k, k * k).CopyTo(oihw.AsSpan(((oc * i) + ic) * k * k, k * k));
            }
        }

        return PackWeights(oihw, o, i, k, k, blockOut, blockIn);
    }

    /// <summary>int32 NCHW → ACC elements (⌈N/b⌉, ⌈C/c⌉, H, W, b, c) as little-endian bytes.</summary>
    public static byte[] PackAccumulators(ReadOnlySpan<int> nchw, int n, int c, int h, int w, int batch, int block)
    {
        int nb = Blocks(n, batch), cb = Blocks(c, block);
        var packed = new int[(long)nb * cb * block * h * w * batch];
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int src = ((i * c) + ch) * h * w;
                long dst = ((((long)(i / batch) * cb) + (ch / block)) * h * w * batch + (i % batch)) * block + (ch % block);
                for (int p = 0; p < h * w; p++)
                {
                    packed[dst + ((long)p * batch * block)] = nchw[src + p];
                }
            }
        }

        return ToBytes(packed);
    }

    /// <summary>Per-channel int32 bias → one ACC element per output block, the same values in every batch row.</summary>
    public static byte[] PackBias(ReadOnlySpan<int> bias, int batch, int block)
    {
        int cb = Blocks(bias.Length, block);
        var packed = new int[cb * batch * block];
        for (int ch = 0; ch < bias.Length; ch++)
        {
            for (int b = 0; b < batch; b++)
            {
                packed[((((ch / block) * batch) + b) * block) + (ch % block)] = bias[ch];
            }
        }

        return ToBytes(packed);
    }

    public static int Blocks(int count, int block) => (count + block - 1) / block;

    private static byte[] ToBytes(int[] values)
    {
        var bytes = new byte[values.Length * sizeof(int)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), values[i]);
        }

        return bytes;
    }
}
