using Vta.Compiler.Lowering;
using Vta.Compiler.Tiling;

namespace Vta.Compiler.Ops.Conv2d;

/// <summary>
/// The micro-op kernels of one tile shape (ragged edge tiles have their own), folded once with indices relative to
/// the INP, WGT and ACC bases of the step; the emitter adds the ping-pong bases.
/// </summary>
internal sealed class ConvKernels
{
    public ConvKernels(ConvSchedule s, int rows, int cols)
    {
        var p = s.P;
        var t = s.T;
        Rows = rows;
        Cols = cols;
        WindowRows = p.Rows.Extent(rows);
        WindowCols = p.Cols.Extent(cols);
        OutRows = rows * p.OutStepY;
        OutCols = cols * p.OutStepX;
        int pixels = OutRows * OutCols;
        TileElements = t.BatchBlocks * t.Groups * t.OutBlocks * pixels;

        var (dims, bases) = GemmNest(s, rows, cols);
        Gemm = UopLoopFolder.Fold(dims, bases, s.C.UopBuffDepth / 2);

        // Bias add: dst walks the tile, src the bias of each (group, output block); src bases are added per tile.
        int groupStride = s.BiasResident ? p.OutBlocks : t.OutBlocks;
        Bias = UopLoopFolder.Fold(
        [
            new("n", t.BatchBlocks, t.Groups * t.OutBlocks * pixels, 0, 0),
            new("g", t.Groups, t.OutBlocks * pixels, groupStride, 0),
            new("o", t.OutBlocks, pixels, 1, 0),
            new("p", pixels, 1, 0, 0),
        ], [new UopEntry(0, 0)], s.C.UopBuffDepth / 2);
    }

    public int Rows { get; }

    public int Cols { get; }

    public int WindowRows { get; }

    public int WindowCols { get; }

    public int OutRows { get; }

    public int OutCols { get; }

    public int TileElements { get; }

    public IReadOnlyList<FoldedKernel> Gemm { get; }

    public IReadOnlyList<FoldedKernel> Bias { get; }

    /// <summary>
    /// The GEMM nest of a tile: output dims n, g, o, y, x and the reduction over input blocks c; a single phase whose
    /// taps form a grid adds the reductions ky, kx, otherwise every phase's taps become base entries.
    /// </summary>
    public static (NestDim[] Dims, List<UopEntry> Bases) GemmNest(ConvSchedule s, int rows, int cols)
    {
        var p = s.P;
        var t = s.T;
        int windowCols = p.Cols.Extent(cols);
        int outCols = cols * p.OutStepX;
        int pixels = rows * p.OutStepY * outCols;
        int block = p.Rows.Extent(rows) * windowCols;
        var dims = new List<NestDim>
        {
            new("n", t.BatchBlocks, t.Groups * t.OutBlocks * pixels, t.Groups * t.InBlocks * block, 0),
            new("g", t.Groups, t.OutBlocks * pixels, t.InBlocks * block, t.OutBlocks * t.InBlocks * p.WeightTaps),
            new("o", t.OutBlocks, pixels, 0, t.InBlocks * p.WeightTaps),
            new("y", rows, p.OutStepY * outCols, p.Rows.SramStep * windowCols, 0),
            new("x", cols, p.OutStepX, p.Cols.SramStep, 0),
            new("c", t.InBlocks, 0, block, p.WeightTaps),
        };
        UopEntry Base(ConvPhase ph, ConvTap tap) => new((ph.OutY * outCols) + ph.OutX,
            (p.Rows.TapOffset(tap.Dy) * windowCols) + p.Cols.TapOffset(tap.Dx), tap.WeightTap);
        if (p.Phases is [{ TapGrid: { } grid } phase])
        {
            dims.Add(new NestDim("ky", grid.Rows, 0, windowCols, grid.Cols));
            dims.Add(new NestDim("kx", grid.Cols, 0, 1, 1));
            return ([.. dims], [Base(phase, phase.Taps[0])]);
        }

        return ([.. dims], [.. p.Phases.SelectMany(ph => ph.Taps.Select(tap => Base(ph, tap)))]);
    }

    /// <summary>Pieces of a contiguous range short enough for one loop level each.</summary>
    public static IEnumerable<(int Offset, int Length)> Ranges(int elements)
    {
        for (int off = 0; off < elements; off += UopLoopFolder.MaxLoopExtent)
        {
            yield return (off, Math.Min(UopLoopFolder.MaxLoopExtent, elements - off));
        }
    }
}
