namespace Vta.Runtime.Demos;

/// <summary>Packs plain int8 tensors into VTA's blocked layouts and back (TVM's graph_pack layouts).</summary>
public static class BlockedLayout
{
    /// <summary>NCHW → NCHW{b}n{c}c: (N/b, C/c, H, W, b, c).</summary>
    public static sbyte[] PackActivations(ReadOnlySpan<sbyte> nchw, int n, int c, int h, int w, int b, int cb)
    {
        var packed = new sbyte[n * c * h * w];
        for (int ni = 0; ni < n; ni++)
        {
            for (int ci = 0; ci < c; ci++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        long dst = (((((long)(ni / b) * (c / cb) + ci / cb) * h + y) * w + x) * b + ni % b) * cb + ci % cb;
                        packed[dst] = nchw[((ni * c + ci) * h + y) * w + x];
                    }
                }
            }
        }

        return packed;
    }

    /// <summary>NCHW{b}n{c}c → NCHW.</summary>
    public static sbyte[] UnpackActivations(ReadOnlySpan<sbyte> packed, int n, int c, int h, int w, int b, int cb)
    {
        var nchw = new sbyte[n * c * h * w];
        for (int ni = 0; ni < n; ni++)
        {
            for (int ci = 0; ci < c; ci++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        long src = (((((long)(ni / b) * (c / cb) + ci / cb) * h + y) * w + x) * b + ni % b) * cb + ci % cb;
                        nchw[((ni * c + ci) * h + y) * w + x] = packed[(int)src];
                    }
                }
            }
        }

        return nchw;
    }

    /// <summary>OIHW → OIHW{o}o{i}i: (O/co, I/ci, KH, KW, co, ci).</summary>
    public static sbyte[] PackWeights(ReadOnlySpan<sbyte> oihw, int o, int i, int kh, int kw, int cob, int cib)
    {
        var packed = new sbyte[o * i * kh * kw];
        for (int oi = 0; oi < o; oi++)
        {
            for (int ii = 0; ii < i; ii++)
            {
                for (int y = 0; y < kh; y++)
                {
                    for (int x = 0; x < kw; x++)
                    {
                        long dst = (((((long)(oi / cob) * (i / cib) + ii / cib) * kh + y) * kw + x) * cob + oi % cob) * cib + ii % cib;
                        packed[dst] = oihw[((oi * i + ii) * kh + y) * kw + x];
                    }
                }
            }
        }

        return packed;
    }
}
