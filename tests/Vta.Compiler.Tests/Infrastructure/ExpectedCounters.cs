using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using Vta.Sim;

namespace Vta.Compiler.Tests.Infrastructure;

/// <summary>
/// The counters a conv-family workload must produce, derived here from its shape and the reported tile sizes by the
/// rules in docs/operators.md (not read back from the compiler): GEMMs are the useful work; every weight and input
/// pixel moves once per pass; padding is never moved; bias once; output once.
/// </summary>
public static class ExpectedCounters
{
    public static SimCounters For(Workload workload, VtaConfig c, ConvTiling t)
    {
        var g = Geometry.Of(workload, c);
        int oh = g.OutH, ow = g.OutW;
        long nb = (g.N + c.Batch - 1) / c.Batch;
        long ob = g.Groups * ((g.OutPerGroup + c.BlockOut - 1) / c.BlockOut);
        long ibg = g.InPerGroup / c.BlockIn;
        long cb = g.Groups * ibg;

        // Tile counts and reload passes: an operand is re-streamed once per tile of the other side unless its chunk spans all input blocks.
        long nOt = (ob / g.Groups) / t.OutBlocks, nNt = nb / t.BatchBlocks, nCk = ibg / t.InBlocks;
        long rowTiles = Ceil(g.GridH, t.Rows), colTiles = Ceil(g.GridW, t.Cols), nSp = rowTiles * colTiles;
        long inputPasses = t.Order == LoopOrder.WeightsOuter ? (nNt * nSp * nCk == 1 ? 1 : nOt) : (nCk == 1 ? 1 : nOt);
        long weightPasses = t.Order == LoopOrder.WeightsOuter ? (nCk == 1 ? 1 : nNt * nSp) : (nOt * nCk == 1 ? 1 : nNt * nSp);
        long rows = Enumerable.Range(0, (int)rowTiles).Sum(i => (long)g.RowsRead(i * t.Rows, Math.Min(t.Rows, g.GridH - (i * t.Rows))));
        long cols = Enumerable.Range(0, (int)colTiles).Sum(i => (long)g.ColsRead(i * t.Cols, Math.Min(t.Cols, g.GridW - (i * t.Cols))));

        return new SimCounters
        {
            GemmCounter = nb * ob * ibg * g.Kernel * g.Kernel * oh * ow / (g.TransposeStride * g.TransposeStride),
            AluCounter = g.AluOps * nb * ob * oh * ow,
            OutStoreNbytes = nb * ob * oh * ow * c.OutElemBytes,
            AccLoadNbytes = g.HasBias ? ob * c.AccElemBytes : 0,
            WgtLoadNbytes = weightPasses * ob * ibg * g.Kernel * g.Kernel * c.WgtElemBytes,
            InpLoadNbytes = inputPasses * nb * cb * rows * cols * c.InpElemBytes,
        };
    }

    /// <summary>Checks the six counters the formulas fix (micro-op bytes depend on kernel caching and are checked separately).</summary>
    public static void AssertMatch(SimCounters expected, SimCounters actual)
    {
        var e = expected.ToList().Where(p => p.Key != "uop_load_nbytes");
        var a = actual.ToList().Where(p => p.Key != "uop_load_nbytes");
        Assert.Equal(string.Join(", ", e), string.Join(", ", a));
    }

    private static long Ceil(long a, long b) => (a + b - 1) / b;

    /// <summary>The shape facts the formulas need, per family.</summary>
    private sealed record Geometry(int N, int Groups, int InPerGroup, int OutPerGroup, int H, int W, int OutH, int OutW, int Kernel,
        int Stride, int Pad, int TransposeStride, int AluOps, bool HasBias)
    {
        public int GridH => OutH / TransposeStride;

        public int GridW => OutW / TransposeStride;

        public static Geometry Of(Workload workload, VtaConfig c) => workload.ForConfig(c) switch
        {
            Conv2dWorkload x when x.KernelH == x.KernelW && x.Pad.IsUniform && x.StrideH == x.StrideW =>
                new(x.N, x.Groups, x.InChannels / x.Groups, x.OutChannels / x.Groups, x.Height, x.Width, x.OutHeight, x.OutWidth,
                    x.KernelH, x.StrideH, x.Pad.Top, 1, 4, true),
            DenseWorkload x => new(x.N, 1, x.InChannels, x.OutChannels, 1, 1, 1, 1, 1, 1, 0, 1, 3, false),
            Conv2dTransposeWorkload x => new(x.N, 1, x.InChannels, x.OutChannels, x.Height, x.Width, x.OutHeight, x.OutWidth,
                x.Kernel, 1, x.Pad, x.Stride, 3, false),
            var other => throw new NotSupportedException($"no counter formula for {other.Spec}"),
        };

        /// <summary>Input rows inside the image that a tile of grid rows [q0, q0 + count) reads.</summary>
        public int RowsRead(int q0, int count) => Kernel == 1 ? count : Read(q0, count, H); // a 1-high kernel loads only its rows

        /// <summary>Input columns: a row is contiguous, so a 1-wide kernel still reads every column its tile spans.</summary>
        public int ColsRead(int q0, int count) => Kernel == 1 ? ((count - 1) * Stride) + 1 : Read(q0, count, W);

        private int Read(int q0, int count, int size)
        {
            if (TransposeStride > 1)
            {
                // Output row s·m + r reads input rows m + (r + pad − ky)/s: offsets from −⌈(K−1−pad)/s⌉ to ⌊(s−1+pad)/s⌋.
                int lo = -((Kernel - 1 - Pad + TransposeStride - 1) / TransposeStride), hi = (TransposeStride - 1 + Pad) / TransposeStride;
                return Overlap(q0 + lo, q0 + count - 1 + hi, size);
            }

            return Overlap((q0 * Stride) - Pad, ((q0 + count - 1) * Stride) - Pad + Kernel - 1, size);
        }

        private static int Overlap(int first, int last, int size) => Math.Max(0, Math.Min(last, size - 1) - Math.Max(first, 0) + 1);
    }
}
