using Vta.Compiler.Workloads;

namespace Vta.Compiler.Reference;

/// <summary>
/// Plain NCHW reference operators in int32, written from the operators' definitions and independent of the VTA
/// lowering (no blocking, no phases, no tiling). Loops are ordered so the innermost one walks a contiguous row.
/// </summary>
public static class ReferenceOps
{
    /// <summary>conv2d (grouped, strided, asymmetric padding): weights (CO, CI/groups, KH, KW); result (N, CO, OH, OW).</summary>
    public static int[] Conv2d(ReadOnlySpan<sbyte> data, ReadOnlySpan<sbyte> weight, Conv2dWorkload w)
    {
        int n = w.N, ci = w.InChannels, co = w.OutChannels, h = w.Height, wd = w.Width, kh = w.KernelH, kw = w.KernelW;
        int oh = w.OutHeight, ow = w.OutWidth, sh = w.StrideH, sw = w.StrideW, pt = w.Pad.Top, pl = w.Pad.Left;
        int cig = ci / w.Groups, cog = co / w.Groups;
        var result = new int[n * co * oh * ow];
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < co; o++)
            {
                var acc = result.AsSpan(((b * co) + o) * oh * ow, oh * ow);
                int g = o / cog;
                for (int i = 0; i < cig; i++)
                {
                    var plane = data.Slice(((b * ci) + (g * cig) + i) * h * wd, h * wd);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int wv = weight[((((o * cig) + i) * kh) + ky) * kw + kx];
                            // Output columns whose input column ox·sw − pl + kx lies inside the row.
                            int ox0 = Math.Max(0, CeilDiv(pl - kx, sw));
                            int ox1 = Math.Min(ow, FloorDiv(wd - 1 + pl - kx, sw) + 1);
                            for (int oy = 0; oy < oh; oy++)
                            {
                                int iy = (oy * sh) - pt + ky;
                                if (wv == 0 || iy < 0 || iy >= h)
                                {
                                    continue;
                                }

                                var row = plane.Slice(iy * wd, wd);
                                var outRow = acc.Slice(oy * ow, ow);
                                for (int ox = ox0; ox < ox1; ox++)
                                {
                                    outRow[ox] += wv * row[(ox * sw) - pl + kx];
                                }
                            }
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// conv2d_transpose by its definition: input pixel (iy, ix) times kernel tap (ky, kx) lands on output
    /// (iy·s − p + ky, ix·s − p + kx). Weights (CI, CO, K, K); result (N, CO, OH, OW).
    /// </summary>
    public static int[] Conv2dTranspose(ReadOnlySpan<sbyte> data, ReadOnlySpan<sbyte> weight, Conv2dTransposeWorkload w)
    {
        int n = w.N, ci = w.InChannels, co = w.OutChannels, h = w.Height, wd = w.Width, k = w.Kernel, s = w.Stride, p = w.Pad;
        int oh = w.OutHeight, ow = w.OutWidth;
        var result = new int[n * co * oh * ow];
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < co; o++)
            {
                var acc = result.AsSpan(((b * co) + o) * oh * ow, oh * ow);
                for (int i = 0; i < ci; i++)
                {
                    var plane = data.Slice(((b * ci) + i) * h * wd, h * wd);
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int wv = weight[((((i * co) + o) * k) + ky) * k + kx];
                            for (int iy = 0; iy < h; iy++)
                            {
                                int y = (iy * s) - p + ky;
                                if (wv == 0 || y < 0 || y >= oh)
                                {
                                    continue;
                                }

                                for (int ix = 0; ix < wd; ix++)
                                {
                                    int x = (ix * s) - p + kx;
                                    if (x >= 0 && x < ow)
                                    {
                                        acc[(y * ow) + x] += wv * plane[(iy * wd) + ix];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>dense: (N, CI) · (CO, CI)ᵀ → (N, CO).</summary>
    public static int[] Dense(ReadOnlySpan<sbyte> data, ReadOnlySpan<sbyte> weight, DenseWorkload w)
    {
        var result = new int[w.N * w.OutChannels];
        for (int b = 0; b < w.N; b++)
        {
            var row = data.Slice(b * w.InChannels, w.InChannels);
            for (int o = 0; o < w.OutChannels; o++)
            {
                var wr = weight.Slice(o * w.InChannels, w.InChannels);
                int sum = 0;
                for (int i = 0; i < row.Length; i++)
                {
                    sum += row[i] * wr[i];
                }

                result[(b * w.OutChannels) + o] = sum;
            }
        }

        return result;
    }

    private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : (a + b - 1) / b;

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
