using System.Buffers.Binary;

namespace Vta.Conformance.Tests.Infrastructure;

/// <summary>
/// Conversions between the natural row-major layout of a matrix and VTA's tiled DRAM layout: tiles in row-major
/// tile order, each tile row-major (INP [BATCH][BLOCK_IN], WGT [BLOCK_OUT][BLOCK_IN], ACC/OUT [BATCH][BLOCK_OUT]),
/// little-endian. Written from the layout description of the hardware document, independently of the simulator.
/// </summary>
internal static class Tiles
{
    /// <summary>Matrix [rows][cols] → tiles [rows/rb][cols/cb][rb][cb].</summary>
    public static T[] Pack<T>(T[] matrix, int rows, int cols, int rb, int cb)
    {
        Check(matrix.Length, rows, cols, rb, cb);
        var tiles = new T[matrix.Length];
        int i = 0;
        for (int tr = 0; tr < rows / rb; tr++)
        {
            for (int tc = 0; tc < cols / cb; tc++)
            {
                for (int r = 0; r < rb; r++)
                {
                    for (int c = 0; c < cb; c++)
                    {
                        tiles[i++] = matrix[(tr * rb + r) * cols + tc * cb + c];
                    }
                }
            }
        }

        return tiles;
    }

    /// <summary>Tiles [rows/rb][cols/cb][rb][cb] → matrix [rows][cols].</summary>
    public static T[] Unpack<T>(T[] tiles, int rows, int cols, int rb, int cb)
    {
        Check(tiles.Length, rows, cols, rb, cb);
        var matrix = new T[tiles.Length];
        int i = 0;
        for (int tr = 0; tr < rows / rb; tr++)
        {
            for (int tc = 0; tc < cols / cb; tc++)
            {
                for (int r = 0; r < rb; r++)
                {
                    for (int c = 0; c < cb; c++)
                    {
                        matrix[(tr * rb + r) * cols + tc * cb + c] = tiles[i++];
                    }
                }
            }
        }

        return matrix;
    }

    public static byte[] ToBytes(sbyte[] values)
    {
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bytes[i] = unchecked((byte)values[i]);
        }

        return bytes;
    }

    public static byte[] ToBytes(int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static sbyte[] ToSBytes(ReadOnlySpan<byte> bytes)
    {
        var values = new sbyte[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            values[i] = unchecked((sbyte)bytes[i]);
        }

        return values;
    }

    private static void Check(int length, int rows, int cols, int rb, int cb)
    {
        if (rows % rb != 0 || cols % cb != 0 || length != rows * cols)
        {
            throw new ArgumentException($"a {rows}x{cols} matrix ({length} values) does not tile into {rb}x{cb} tiles");
        }
    }
}
