using System.Globalization;
using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tiling;

/// <summary>Which operand stays put while the other streams.</summary>
public enum LoopOrder
{
    /// <summary>Output-channel tiles outside, spatial tiles inside: a weight tile that holds every input block is loaded once.</summary>
    WeightsOuter,

    /// <summary>Spatial tiles outside, output-channel tiles inside: an input tile that holds every input block is loaded once.</summary>
    InputsOuter,
}

/// <summary>
/// A tiling of a <see cref="ConvProblem"/>: how many batch blocks, groups, output blocks (per group) and grid rows and
/// columns one accumulator tile holds, how many input blocks one chunk of the reduction streams, the loop order, and
/// whether the accumulator is double-buffered (so a tile's STORE overlaps the next tile's GEMMs).
/// </summary>
public sealed record ConvTiling(int BatchBlocks, int Groups, int OutBlocks, int InBlocks, int Rows, int Cols, LoopOrder Order, int AccBuffers)
{
    /// <summary>The tiling as named strings, for reports and the CLI.</summary>
    public IReadOnlyDictionary<string, string> Describe(ConvProblem p) => new Dictionary<string, string>
    {
        ["batch_blocks"] = N(BatchBlocks),
        ["groups"] = N(Groups),
        ["out_blocks"] = N(OutBlocks),
        ["in_blocks"] = N(InBlocks),
        ["rows"] = N(Rows),
        ["cols"] = N(Cols),
        ["order"] = Order == LoopOrder.WeightsOuter ? "weights-outer" : "inputs-outer",
        ["acc_buffers"] = N(AccBuffers),
        ["tiles"] = N(p.BatchBlocks / BatchBlocks * (p.Groups / Groups) * (p.OutBlocks / OutBlocks)
            * Count(p.Rows.Grid, Rows) * Count(p.Cols.Grid, Cols)),
        ["chunks_per_tile"] = N(p.InBlocks / InBlocks),
    };

    public override string ToString() =>
        $"{BatchBlocks}n×{Groups}g×{OutBlocks}o×{Rows}×{Cols}, {InBlocks} input blocks per chunk, {(Order == LoopOrder.WeightsOuter ? "weights" : "inputs")} outer, {AccBuffers} ACC buffer(s)";

    private static int Count(int grid, int tile) => (grid + tile - 1) / tile;

    private static string N(int v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Chooses the tiling of one operator at one configuration (a search can replace the default).</summary>
public interface ITilingPolicy
{
    /// <summary>A tiling that fits, or a <see cref="VtaCompileException"/> saying which buffer is short by how much.</summary>
    ConvTiling Choose(ConvProblem problem, Epilogue epilogue, VtaConfig config);
}
