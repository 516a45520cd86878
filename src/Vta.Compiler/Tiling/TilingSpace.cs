using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tiling;

/// <summary>
/// The tilings of one layer that fit the buffers: whole-divisor tiles of the batch, group and channel dimensions,
/// every distinct tile height and width (ragged last tiles allowed), both loop orders and one or two accumulator
/// buffers. The default policy ranks them by modelled bytes; the tuner times them on the timing simulator.
/// </summary>
public static class TilingSpace
{
    /// <summary>
    /// Every fitting tiling, in a fixed order. Without <paramref name="everyChunk"/> each tile shape keeps only the
    /// largest input chunk that fits (a smaller chunk never moves fewer bytes, which is all the default policy weighs);
    /// with it, every chunk that fits (a smaller chunk can overlap better, which only a timed search can see).
    /// </summary>
    public static IEnumerable<ConvSchedule> Fitting(ConvProblem problem, Epilogue epilogue, VtaConfig config, bool everyChunk = false)
    {
        int[] rows = DefaultTilingPolicy.TileSizes(problem.Rows.Grid), cols = DefaultTilingPolicy.TileSizes(problem.Cols.Grid);
        int[] chunkSizes = [.. DefaultTilingPolicy.Divisors(problem.InBlocks).OrderDescending()];
        foreach (int accBuffers in new[] { 2, 1 })
        {
            foreach (int tg in DefaultTilingPolicy.Divisors(problem.Groups))
            {
                foreach (int to in DefaultTilingPolicy.Divisors(problem.OutBlocks))
                {
                    foreach (int tn in DefaultTilingPolicy.Divisors(problem.BatchBlocks))
                    {
                        foreach (int qh in rows)
                        {
                            foreach (int qw in cols)
                            {
                                var shape = new ConvTiling(tn, tg, to, 1, qh, qw, LoopOrder.WeightsOuter, accBuffers);
                                if (new ConvSchedule(problem, shape, epilogue, config).AccNeeded > config.AccBuffDepth)
                                {
                                    continue;
                                }

                                foreach (int ct in chunkSizes)
                                {
                                    bool fitted = false;
                                    foreach (var order in new[] { LoopOrder.WeightsOuter, LoopOrder.InputsOuter })
                                    {
                                        var s = new ConvSchedule(problem, shape with { InBlocks = ct, Order = order }, epilogue, config);
                                        if (s.Fits)
                                        {
                                            fitted = true;
                                            yield return s;
                                        }
                                    }

                                    if (fitted && !everyChunk)
                                    {
                                        break;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
