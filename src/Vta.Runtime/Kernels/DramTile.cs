using Vta.Hardware.Isa;
using Vta.Runtime.Devices;

namespace Vta.Runtime.Kernels;

/// <summary>
/// A 2-D block of elements of one memory type in a device buffer: <see cref="Rows"/> rows of <see cref="Cols"/>
/// consecutive elements, <see cref="Stride"/> elements apart, starting at element <see cref="Offset"/>.
/// </summary>
public sealed record DramTile(DeviceBuffer Buffer, MemoryType Type, long Offset, int Rows, int Cols, int Stride)
{
    public int Elements => Rows * Cols;

    /// <summary>A single row of <paramref name="count"/> consecutive elements.</summary>
    public static DramTile Row(DeviceBuffer buffer, MemoryType type, long offset, int count) => new(buffer, type, offset, 1, count, count);
}

/// <summary>Zero padding around a loaded tile, in elements (at most 15 each).</summary>
public readonly record struct Pads(int Top, int Bottom, int Left, int Right)
{
    public static Pads None => default;

    public static Pads All(int n) => new(n, n, n, n);

    public int PaddedRows(int rows) => Top + rows + Bottom;

    public int PaddedCols(int cols) => Left + cols + Right;
}
