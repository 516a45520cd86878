using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>Permutes 4-D arrays between the declared layouts and the canonical NCHW / OIHW the kernels use.</summary>
internal static class LayoutConversion
{
    /// <summary>Data in <paramref name="layout"/> to NCHW; returns the array and (N, C, H, W).</summary>
    public static (T[] Data, int N, int C, int H, int W) ToNchw<T>(T[] data, Shape shape, DataLayout layout)
    {
        int n = shape[0], c = shape[layout.ChannelAxis()], h = shape[layout.HeightAxis()], w = shape[layout.WidthAxis()];
        if (layout == DataLayout.Nchw)
        {
            return (data, n, c, h, w);
        }
        T[] result = new T[data.Length];
        for (int b = 0; b < n; b++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        result[(((b * c) + ch) * h + y) * w + x] = data[(((b * h) + y) * w + x) * c + ch];
                    }
                }
            }
        }
        return (result, n, c, h, w);
    }

    /// <summary>NCHW data back to <paramref name="layout"/>.</summary>
    public static T[] FromNchw<T>(T[] data, int n, int c, int h, int w, DataLayout layout)
    {
        if (layout == DataLayout.Nchw)
        {
            return data;
        }
        T[] result = new T[data.Length];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        result[(((b * h) + y) * w + x) * c + ch] = data[(((b * c) + ch) * h + y) * w + x];
                    }
                }
            }
        }
        return result;
    }

    /// <summary>Kernel weights in <paramref name="layout"/> to OIHW; returns the array and (O, I, KH, KW).</summary>
    public static (T[] Data, int O, int I, int KH, int KW) ToOihw<T>(T[] data, Shape shape, KernelLayout layout)
    {
        (int ao, int ai, int ah, int aw) = layout.Axes();
        int o = shape[ao], i = shape[ai], kh = shape[ah], kw = shape[aw];
        if (layout == KernelLayout.Oihw)
        {
            return (data, o, i, kh, kw);
        }
        int[] strides = shape.Strides();
        T[] result = new T[data.Length];
        for (int a = 0; a < o; a++)
        {
            for (int b = 0; b < i; b++)
            {
                for (int y = 0; y < kh; y++)
                {
                    for (int x = 0; x < kw; x++)
                    {
                        int src = (a * strides[ao]) + (b * strides[ai]) + (y * strides[ah]) + (x * strides[aw]);
                        result[(((a * i) + b) * kh + y) * kw + x] = data[src];
                    }
                }
            }
        }
        return (result, o, i, kh, kw);
    }
}
