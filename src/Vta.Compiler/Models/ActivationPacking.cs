using Vta.Compiler.Graphs;

namespace Vta.Compiler.Models;

/// <summary>The shape of a packed activation: (⌈N/b⌉, C/c, H, W, b, c) int8, C already padded to whole blocks.</summary>
public readonly record struct PackedShape(int N, int Channels, int Height, int Width, int Batch, int Block)
{
    public int BatchBlocks => (N + Batch - 1) / Batch;

    public int ChannelBlocks => Channels / Block;

    public long Elements => (long)BatchBlocks * ChannelBlocks * Height * Width * Batch * Block;

    /// <summary>The shape after spatial padding by <paramref name="pads"/>.</summary>
    public PackedShape Padded(Pads2d pads) => this with { Height = Height + pads.Top + pads.Bottom, Width = Width + pads.Left + pads.Right };
}

/// <summary>
/// The layout conversions at VTA/CPU boundaries, on the host: a graph value (NHWC, NCHW or [N, K]) to VTA's packed
/// NCHW{n}n{c}c with channels padded to the block (padding channels are 0; their weights are 0 too), back again
/// (dropping padded channels and batch rows), and spatial padding of a packed value with a constant.
/// </summary>
public static class ActivationPacking
{
    /// <summary>(N, C, H, W) of a 4-D value in <paramref name="layout"/>, or (N, K, 1, 1) of a 2-D one.</summary>
    public static (int N, int C, int H, int W) Dims(Shape shape, DataLayout layout) => shape.Rank == 2
        ? (shape[0], shape[1], 1, 1)
        : (shape[0], shape[layout.ChannelAxis()], shape[layout.HeightAxis()], shape[layout.WidthAxis()]);

    public static sbyte[] Pack(Tensor value, DataLayout layout, PackedShape packed)
    {
        (int n, int c, int h, int w) = Dims(value.Shape, layout);
        sbyte[] src = value.As<sbyte>();
        var dst = new sbyte[packed.Elements];
        (int sn, int sc, int sh, int sw) = Strides(value.Shape, layout);
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        dst[Index(packed, i, ch, y, x)] = src[(i * sn) + (ch * sc) + (y * sh) + (x * sw)];
                    }
                }
            }
        }

        return dst;
    }

    /// <summary>The packed data back to a value of <paramref name="type"/> (its real channel count) in <paramref name="layout"/>.</summary>
    public static Tensor Unpack(ReadOnlySpan<sbyte> data, PackedShape packed, TensorType type, DataLayout layout)
    {
        (int n, int c, int h, int w) = Dims(type.Shape, layout);
        var dst = new sbyte[type.Shape.ElementCount];
        (int sn, int sc, int sh, int sw) = Strides(type.Shape, layout);
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        dst[(i * sn) + (ch * sc) + (y * sh) + (x * sw)] = data[(int)Index(packed, i, ch, y, x)];
                    }
                }
            }
        }

        return new Tensor(type, dst);
    }

    /// <summary>Pads H and W of packed data with <paramref name="value"/> (a zero point) on every channel and batch row.</summary>
    public static sbyte[] PadSpatial(ReadOnlySpan<sbyte> data, PackedShape packed, Pads2d pads, sbyte value, out PackedShape padded)
    {
        padded = packed.Padded(pads);
        var dst = new sbyte[padded.Elements];
        Array.Fill(dst, value);
        int vector = packed.Batch * packed.Block;
        int planes = packed.BatchBlocks * packed.ChannelBlocks;
        for (int p = 0; p < planes; p++)
        {
            for (int y = 0; y < packed.Height; y++)
            {
                long src = (((long)p * packed.Height) + y) * packed.Width * vector;
                long to = ((((long)p * padded.Height) + y + pads.Top) * padded.Width + pads.Left) * vector;
                data.Slice((int)src, packed.Width * vector).CopyTo(dst.AsSpan((int)to));
            }
        }

        return dst;
    }

    /// <summary>Element index of (n, c, y, x) in the packed layout.</summary>
    private static long Index(PackedShape p, int n, int c, int y, int x) =>
        ((((((long)(n / p.Batch) * p.ChannelBlocks) + (c / p.Block)) * p.Height + y) * p.Width + x) * p.Batch + (n % p.Batch)) * p.Block + (c % p.Block);

    private static (int N, int C, int H, int W) Strides(Shape shape, DataLayout layout)
    {
        if (shape.Rank == 2)
        {
            return (shape[1], 1, 0, 0);
        }

        int[] s = shape.Strides();
        return (s[0], s[layout.ChannelAxis()], s[layout.HeightAxis()], s[layout.WidthAxis()]);
    }
}
