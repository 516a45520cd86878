namespace Vta.Compiler.Ops.Conv2d;

/// <summary>A kernel tap of a phase: input offset (relative to the grid point's input position) and weight tap index.</summary>
public sealed record ConvTap(int Dy, int Dx, int WeightTap);

/// <summary>
/// A set of output positions computed with the same taps: output (y, x) = (q_y·OutStepY + OutY, q_x·OutStepX + OutX)
/// for every grid point q. A convolution has one phase; a stride-s transposed convolution has s² (one per output
/// residue), each with only the taps that meet real input. <see cref="TapGrid"/> marks taps that form a row-major
/// KH × KW grid (offsets and weight index step by one), which the micro-op folder may turn into loops.
/// </summary>
public sealed record ConvPhase(int OutY, int OutX, IReadOnlyList<ConvTap> Taps, (int Rows, int Cols)? TapGrid = null);

/// <summary>Where an axis window lands: SRAM extent, first input coordinate read, how many are read, zero padding.</summary>
public readonly record struct AxisWindow(int Extent, int First, int Size, int Pad0, int Pad1);

/// <summary>
/// One spatial axis: grid points q read input coordinates q·Stride + offset, offsets in [MinOffset, MaxOffset].
/// With <see cref="Decimate"/> (a single offset and Stride &gt; 1, e.g. a 1×1 stride-2 kernel's rows) only the rows
/// used are loaded: SRAM row r is input row start + r·Stride.
/// </summary>
public sealed record ConvAxis(int Grid, int InSize, int Stride, int MinOffset, int MaxOffset, bool Decimate)
{
    /// <summary>SRAM positions per grid step.</summary>
    public int SramStep => Decimate ? 1 : Stride;

    /// <summary>Input positions per SRAM position.</summary>
    public int InputStep => Decimate ? Stride : 1;

    /// <summary>SRAM positions a tile of <paramref name="count"/> grid points needs.</summary>
    public int Extent(int count) => Decimate ? count : (count - 1) * Stride + MaxOffset - MinOffset + 1;

    /// <summary>SRAM position of a tap with input offset <paramref name="offset"/> relative to the tile's window.</summary>
    public int TapOffset(int offset) => Decimate ? 0 : offset - MinOffset;

    public AxisWindow Window(int q0, int count)
    {
        int extent = Extent(count);
        int start = q0 * Stride + MinOffset;
        int step = InputStep;
        int firstIn = Math.Min(start >= 0 ? 0 : CeilDiv(-start, step), extent);
        int endIn = Math.Clamp(InSize - start <= 0 ? 0 : CeilDiv(InSize - start, step), firstIn, extent);
        return new AxisWindow(extent, start + firstIn * step, endIn - firstIn, firstIn, extent - endIn);
    }

    /// <summary>Tiles of <paramref name="tile"/> grid points (the last one ragged).</summary>
    public IEnumerable<(int Q0, int Count)> Tiles(int tile)
    {
        for (int q0 = 0; q0 < Grid; q0 += tile)
        {
            yield return (q0, Math.Min(tile, Grid - q0));
        }
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}

/// <summary>
/// The normalized form every GEMM operator lowers to: a grouped convolution over blocked tensors, with output grid,
/// phases and taps. Data is NCHW{n}n{c}c (batch blocks, Groups·InBlocks channel blocks, InHeight, InWidth); weights
/// are (Groups·OutBlocks, InBlocks, WeightTaps) WGT elements; output is (batch blocks, Groups·OutBlocks, OutHeight,
/// OutWidth). conv2d, grouped conv2d, conv2d-transpose (by phases) and dense (1×1 image) are all instances.
/// </summary>
public sealed class ConvProblem
{
    public required string Layer { get; init; }

    public required int BatchBlocks { get; init; }

    public int Groups { get; init; } = 1;

    /// <summary>Input channel blocks per group.</summary>
    public required int InBlocks { get; init; }

    /// <summary>Output channel blocks per group.</summary>
    public required int OutBlocks { get; init; }

    public required int InHeight { get; init; }

    public required int InWidth { get; init; }

    public required int OutHeight { get; init; }

    public required int OutWidth { get; init; }

    /// <summary>WGT elements per (output block, input block) pair in DRAM (KH·KW).</summary>
    public required int WeightTaps { get; init; }

    public required ConvAxis Rows { get; init; }

    public required ConvAxis Cols { get; init; }

    public int OutStepY { get; init; } = 1;

    public int OutStepX { get; init; } = 1;

    public required IReadOnlyList<ConvPhase> Phases { get; init; }

    public int InChannelBlocks => Groups * InBlocks;

    public int OutChannelBlocks => Groups * OutBlocks;

    /// <summary>Taps over all phases: the reduction terms per (output block, input block, grid point).</summary>
    public int TapCount => Phases.Sum(p => p.Taps.Count);

    /// <summary>The GEMM micro-ops of the whole operator: output blocks × input blocks × useful taps × grid points.</summary>
    public long Gemms => (long)BatchBlocks * OutChannelBlocks * InBlocks * TapCount * Rows.Grid * Cols.Grid;

    /// <summary>Refuses geometry the LOAD/STORE fields cannot express (pads over 15, strides over 16 bits, all-padding rows).</summary>
    public void Validate()
    {
        foreach (var (axis, name) in new[] { (Rows, "rows"), (Cols, "columns") })
        {
            var first = axis.Window(0, 1);
            var last = axis.Window(axis.Grid - 1, 1);
            if (first.Pad0 > 15 || last.Pad1 > 15)
            {
                throw new VtaCompileException(Layer, $"padding of {Math.Max(first.Pad0, last.Pad1)} {name} exceeds the LOAD pad fields (at most 15)");
            }

            if (first.Size <= 0 || last.Size <= 0)
            {
                throw new VtaCompileException(Layer, $"the first or last output {name} would read only padding (padding must be smaller than the kernel)");
            }
        }

        Field((long)Rows.InputStep * InWidth, "the input row stride (x_stride of LOAD INP)");
        Field(OutWidth, "the output row stride (x_stride of STORE)");
        Field(InWidth, "the input row length (x_size of LOAD INP)");
        long largest = Math.Max((long)BatchBlocks * InChannelBlocks * InHeight * InWidth, (long)BatchBlocks * OutChannelBlocks * OutHeight * OutWidth);
        if (largest > int.MaxValue / 64)
        {
            throw new VtaCompileException(Layer, $"{largest} elements in one tensor: beyond the 32-bit DRAM address space");
        }
    }

    private void Field(long value, string what)
    {
        if (value > ushort.MaxValue)
        {
            throw new VtaCompileException(Layer, $"{what} is {value}, over the 16-bit instruction field (at most {ushort.MaxValue})");
        }
    }
}
