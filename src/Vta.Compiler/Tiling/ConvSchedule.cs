using Vta.Compiler.Lowering;
using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tiling;

/// <summary>
/// What a tiling implies: tile counts, when each operand is reloaded, the SRAM regions (ping-pong halves of INP and
/// WGT, bias and one or two accumulator buffers in ACC), whether it fits, and the traffic it will cause. Shared by the
/// tiling policy (to compare candidates) and the emitter (to lay out SRAM), so both agree by construction.
/// </summary>
public sealed class ConvSchedule
{
    public ConvSchedule(ConvProblem problem, ConvTiling tiling, Epilogue epilogue, VtaConfig config)
    {
        P = problem;
        T = tiling;
        E = epilogue;
        C = config;
        BatchTiles = problem.BatchBlocks / tiling.BatchBlocks;
        GroupTiles = problem.Groups / tiling.Groups;
        OutTiles = problem.OutBlocks / tiling.OutBlocks;
        Chunks = problem.InBlocks / tiling.InBlocks;
        RowTiles = Count(problem.Rows.Grid, tiling.Rows);
        ColTiles = Count(problem.Cols.Grid, tiling.Cols);
    }

    public ConvProblem P { get; }

    public ConvTiling T { get; }

    public Epilogue E { get; }

    public VtaConfig C { get; }

    public int BatchTiles { get; }

    public int GroupTiles { get; }

    public int OutTiles { get; }

    public int Chunks { get; }

    public int RowTiles { get; }

    public int ColTiles { get; }

    public long SpatialTiles => (long)RowTiles * ColTiles;

    public long OutputTiles => (long)BatchTiles * GroupTiles * OutTiles * SpatialTiles;

    public long Steps => OutputTiles * Chunks;

    /// <summary>The input chunk never changes (one key in the whole program): it may use all of INP.</summary>
    public bool InputLoadedOnce => (long)GroupTiles * BatchTiles * SpatialTiles * Chunks == 1;

    public bool WeightsLoadedOnce => (long)GroupTiles * OutTiles * Chunks == 1;

    public int WindowRows => P.Rows.Extent(T.Rows);

    public int WindowCols => P.Cols.Extent(T.Cols);

    public int TileRowsOut => T.Rows * P.OutStepY;

    public int TileColsOut => T.Cols * P.OutStepX;

    public long InpChunk => (long)T.BatchBlocks * T.Groups * T.InBlocks * WindowRows * WindowCols;

    public long WgtChunk => (long)T.Groups * T.OutBlocks * T.InBlocks * P.WeightTaps;

    public long AccTile => (long)T.BatchBlocks * T.Groups * T.OutBlocks * TileRowsOut * TileColsOut;

    public int InpRegion => InputLoadedOnce ? C.InpBuffDepth : C.InpBuffDepth / 2;

    public int WgtRegion => WeightsLoadedOnce ? C.WgtBuffDepth : C.WgtBuffDepth / 2;

    /// <summary>Per-channel ACC vectors the epilogue reads: the bias and the stacked per-channel vectors (shifts, multipliers, rounding).</summary>
    public int ChannelVectors => (E.NeedsBias ? 1 : 0) + E.ShiftVectors;

    /// <summary>All per-channel vectors stay in the ACC for the whole program when they take at most a quarter of it.</summary>
    public bool BiasResident => ChannelVectors > 0 && ChannelVectors * P.OutChannelBlocks <= C.AccBuffDepth / 4;

    /// <summary>ACC elements of one per-channel vector: every output block when resident, else the tile's.</summary>
    public int VectorRegion => BiasResident ? P.OutChannelBlocks : T.Groups * T.OutBlocks;

    /// <summary>The bias vector first, then the shift vector, at the bottom of the ACC.</summary>
    public int BiasRegion => ChannelVectors * VectorRegion;

    /// <summary>Where the first shift vector starts in the ACC (after the bias, when there is one); vector v is v·<see cref="VectorRegion"/> further.</summary>
    public int ShiftBase => E.NeedsBias ? VectorRegion : 0;

    public long AccBufferSize => AccTile * (E.NeedsResidual ? 2 : 1);

    public long AccNeeded => BiasRegion + (T.AccBuffers * AccBufferSize);

    public int AccBase(int buffer) => BiasRegion + (int)(buffer * AccBufferSize);

    /// <summary>How often the whole input is streamed: once when a tile's input chunk is reused by every output tile.</summary>
    public long InputPasses => T.Order == LoopOrder.WeightsOuter
        ? (BatchTiles * SpatialTiles * Chunks == 1 ? 1 : OutTiles)
        : (Chunks == 1 ? 1 : OutTiles);

    /// <summary>How often all weights are streamed: once when a weight chunk holds every input block of its output tile.</summary>
    public long WeightPasses => T.Order == LoopOrder.WeightsOuter
        ? (Chunks == 1 ? 1 : BatchTiles * SpatialTiles)
        : ((long)OutTiles * Chunks == 1 ? 1 : BatchTiles * SpatialTiles);

    /// <summary>GEMM micro-ops in one kernel, estimated from the loop nest of a full tile.</summary>
    public long GemmUopsEstimate
    {
        get
        {
            var (dims, bases) = ConvKernels.GemmNest(this, T.Rows, T.Cols);
            return UopLoopFolder.EstimateUops(dims, bases.Count);
        }
    }

    /// <summary>Each buffer that is too small, by how much; empty when the tiling fits.</summary>
    public IReadOnlyList<string> Shortfalls()
    {
        var list = new List<string>();
        Check(list, "INP", InpChunk, InpRegion, C.InpBuffDepth, $"{T.BatchBlocks}×{T.Groups}×{T.InBlocks} input blocks of {WindowRows}×{WindowCols} (with halo)");
        Check(list, "WGT", WgtChunk, WgtRegion, C.WgtBuffDepth, $"{T.Groups * T.OutBlocks}×{T.InBlocks} blocks × {P.WeightTaps} taps");
        Check(list, "ACC", AccNeeded, C.AccBuffDepth, C.AccBuffDepth,
            $"{T.AccBuffers} accumulator tile(s) of {AccTile}{(E.NeedsResidual ? " plus residual" : "")} and {BiasRegion} bias{(E.NeedsShift ? " and shift" : "")} elements");
        return list;
    }

    /// <summary>The data fits; micro-ops always do (kernels too big for the uop buffer are split), at a cost in reloads.</summary>
    public bool Fits => InpChunk <= InpRegion && WgtChunk <= WgtRegion && AccNeeded <= C.AccBuffDepth;

    /// <summary>
    /// Micro-op bytes, estimated: every GEMM kernel variant (ping-pong halves × ACC buffers × edge-tile shapes) loads once
    /// when they all fit the uop buffer together, else a kernel is reloaded at every step.
    /// </summary>
    public double PredictedUopBytes
    {
        get
        {
            long uops = GemmUopsEstimate;
            int shapes = (P.Rows.Grid % T.Rows == 0 ? 1 : 2) * (P.Cols.Grid % T.Cols == 0 ? 1 : 2);
            long variants = Math.Min(Steps, 4L * T.AccBuffers * shapes);
            return 4.0 * uops * (uops * variants <= C.UopBuffDepth - 64 ? variants : Steps);
        }
    }

    /// <summary>Input elements inside the image over all spatial tiles (padding is not moved), per input block.</summary>
    public long WindowElementsPerBlock =>
        P.Rows.Tiles(T.Rows).Sum(r => (long)P.Rows.Window(r.Q0, r.Count).Size) * P.Cols.Tiles(T.Cols).Sum(c => (long)P.Cols.Window(c.Q0, c.Count).Size);

    public long PredictedInpBytes => InputPasses * P.BatchBlocks * P.InChannelBlocks * WindowElementsPerBlock * C.InpElemBytes;

    public long PredictedWgtBytes => WeightPasses * P.OutChannelBlocks * P.InBlocks * P.WeightTaps * C.WgtElemBytes;

    public long PredictedAccBytes =>
        ((ChannelVectors * (BiasResident ? P.OutChannelBlocks : OutputTiles * T.Groups * T.OutBlocks))
        + (E.NeedsResidual ? (long)P.BatchBlocks * P.OutChannelBlocks * P.OutHeight * P.OutWidth : 0)) * C.AccElemBytes;

    /// <summary>One tile covers the whole image with no padding: a block's window is the image, so blocks load as one run.</summary>
    public bool WholeImageInput
    {
        get
        {
            if (RowTiles != 1 || ColTiles != 1 || P.Rows.Decimate)
            {
                return false;
            }

            var r = P.Rows.Window(0, P.Rows.Grid);
            var c = P.Cols.Window(0, P.Cols.Grid);
            return r.Pad0 + r.Pad1 + c.Pad0 + c.Pad1 == 0 && r.First == 0 && c.First == 0 && r.Size == P.InHeight && c.Size == P.InWidth;
        }
    }

    /// <summary>Instructions, roughly: loads per reload, GEMMs, resets, ALU ops and stores per tile.</summary>
    public long PredictedInstructions
    {
        get
        {
            long inpLoads = InputPasses * GroupTiles * BatchTiles * SpatialTiles * Chunks * (WholeImageInput ? T.BatchBlocks : T.BatchBlocks * T.Groups * T.InBlocks);
            long wgtLoads = WeightPasses * GroupTiles * OutTiles * Chunks * (T.OutBlocks == P.OutBlocks ? 1 : T.Groups);
            bool wholeBlock = TileRowsOut == P.OutHeight && TileColsOut == P.OutWidth;
            long stores = wholeBlock ? T.BatchBlocks : TileColsOut == P.OutWidth ? T.BatchBlocks * T.Groups : T.BatchBlocks * T.Groups * T.OutBlocks;
            return inpLoads + wgtLoads + (2 * Steps) + (OutputTiles * (3 + E.AluOpsPerElement + stores));
        }
    }

    /// <summary>The policy's figure of merit: bytes moved plus a per-instruction overhead in byte terms.</summary>
    public double Cost => PredictedInpBytes + PredictedWgtBytes + PredictedAccBytes + PredictedUopBytes + (64.0 * PredictedInstructions);

    private static void Check(List<string> list, string buffer, long need, long capacity, long depth, string what)
    {
        if (need > capacity)
        {
            string part = capacity == depth ? "" : $" (one ping-pong half of {depth})";
            list.Add($"{buffer} buffer too small: {what} need {need} elements, it holds {capacity}{part}; short by {need - capacity}");
        }
    }

    private static int Count(int grid, int tile) => (grid + tile - 1) / tile;
}
