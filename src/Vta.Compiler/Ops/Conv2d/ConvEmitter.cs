using Vta.Compiler.Lowering;
using Vta.Compiler.Tiling;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;
using Vta.Runtime.Kernels;

namespace Vta.Compiler.Ops.Conv2d;

/// <summary>
/// Issues a <see cref="ConvPlan"/>: for every output tile, for every input chunk, one step of two virtual threads.
/// Load: wait until compute has finished with the step two back (whose ping-pong halves this step overwrites), load
/// the operands whose chunk changed, signal. Compute: wait for the loads (and, at a tile's first chunk, for the store
/// of the tile that last used this ACC buffer), reset, GEMM, release the halves; after the last chunk the epilogue
/// runs in the ACC and the store stage writes the tile once.
/// </summary>
internal sealed class ConvEmitter(ConvPlan plan, CommandQueue queue, ConvOperands operands)
{
    private readonly ConvSchedule _s = plan.Schedule;
    private readonly ConvProblem _p = plan.Problem;
    private readonly ConvTiling _t = plan.Tiling;
    private readonly KernelBuilder _k = new(queue);
    private readonly Dictionary<(string, AluStep, int, int, int, int, int), UopKernel[]> _built = [];

    public void Run()
    {
        if (_s.BiasResident)
        {
            foreach (var (vector, sram, dram) in ChannelVectors())
            {
                _k.Compute.Tile(DramTile.Row(vector, MemoryType.Acc, dram, _p.OutChannelBlocks), sram);
            }
        }

        long step = 0, tile = 0;
        (int, int, int, int, int)? lastInput = null;
        (int, int, int)? lastWeights = null;
        int inpHalf = 1, wgtHalf = 1;
        foreach (var (gt, ot, nt, ry, rx) in TileOrder())
        {
            var kernels = plan.Kernels(Math.Min(_t.Rows, _p.Rows.Grid - ry), Math.Min(_t.Cols, _p.Cols.Grid - rx));
            var pos = new TilePos(gt, ot, nt, ry, rx, kernels);
            int accBase = _s.AccBase((int)(tile % _t.AccBuffers));
            for (int ck = 0; ck < _s.Chunks; ck++, step++)
            {
                bool loadInput = lastInput != (gt, nt, ry, rx, ck);
                bool loadWeights = lastWeights != (gt, ot, ck);
                (lastInput, lastWeights) = ((gt, nt, ry, rx, ck), (gt, ot, ck));
                inpHalf ^= loadInput ? 1 : 0;
                wgtHalf ^= loadWeights ? 1 : 0;
                int inpBase = _s.InputLoadedOnce ? 0 : inpHalf * _s.InpRegion;
                int wgtBase = _s.WeightsLoadedOnce ? 0 : wgtHalf * _s.WgtRegion;

                _k.Load.WaitFor(Stage.Compute, when: step >= 2);
                if (loadInput)
                {
                    LoadInput(pos, ck, inpBase);
                }

                if (loadWeights)
                {
                    LoadWeights(pos, ck, wgtBase);
                }

                _k.Load.Signal(Stage.Compute);
                _k.Compute.WaitFor(Stage.Load);
                if (ck == 0)
                {
                    // The ACC (and OUT) region is free once every plane of the tile that last used it is stored.
                    WaitForStores((tile - _t.AccBuffers + 1) * _s.E.Planes);
                    StartTile(pos, accBase);
                }

                foreach (var kernel in Built("gemm", default, kernels, inpBase, wgtBase, accBase, () => kernels.Gemm.Select(f => f.Build(UopKernel.Gemm(), accBase, inpBase, wgtBase))))
                {
                    _k.Compute.Run(kernel);
                }

                _k.Compute.Signal(Stage.Load);
                if (ck == _s.Chunks - 1)
                {
                    FinishTile(pos, accBase, tile);
                }
            }

            tile++;
        }
    }

    private sealed record TilePos(int Gt, int Ot, int Nt, int Ry, int Rx, ConvKernels K);

    private IEnumerable<(int Gt, int Ot, int Nt, int Ry, int Rx)> TileOrder()
    {
        for (int gt = 0; gt < _s.GroupTiles; gt++)
        {
            if (_t.Order == LoopOrder.WeightsOuter)
            {
                for (int ot = 0; ot < _s.OutTiles; ot++)
                {
                    foreach (var (nt, ry, rx) in Spatial())
                    {
                        yield return (gt, ot, nt, ry, rx);
                    }
                }
            }
            else
            {
                foreach (var (nt, ry, rx) in Spatial())
                {
                    for (int ot = 0; ot < _s.OutTiles; ot++)
                    {
                        yield return (gt, ot, nt, ry, rx);
                    }
                }
            }
        }

        IEnumerable<(int, int, int)> Spatial() =>
            from nt in Enumerable.Range(0, _s.BatchTiles)
            from ry in _p.Rows.Tiles(_t.Rows)
            from rx in _p.Cols.Tiles(_t.Cols)
            select (nt, ry.Q0, rx.Q0);
    }

    /// <summary>Reset the accumulators; load the tile's biases (unless resident) and residual into the ACC.</summary>
    private void StartTile(TilePos pos, int accBase)
    {
        var k = pos.K;
        if (!_s.BiasResident)
        {
            foreach (var (vector, sram, dram) in ChannelVectors())
            {
                foreach (var (g0, count) in GroupRuns())
                {
                    long first = dram + ((long)(pos.Gt * _t.Groups + g0) * _p.OutBlocks) + (pos.Ot * _t.OutBlocks);
                    _k.Compute.Tile(DramTile.Row(vector, MemoryType.Acc, first, count * _t.OutBlocks), sram: sram + (g0 * _t.OutBlocks));
                }
            }
        }

        if (_s.E.NeedsResidual)
        {
            foreach (var (tile, sram) in OutputTiles(pos))
            {
                _k.Compute.Tile(tile with { Buffer = operands.Residual!, Type = MemoryType.Acc }, sram: accBase + (int)_s.AccTile + sram);
            }
        }

        foreach (var kernel in Built("reset", default, k, 0, 0, accBase, () => ConvKernels.Ranges(k.TileElements)
            .Select(r => UopKernel.Gemm(reset: true).Loop(r.Length, dst: 1, src: 0).Uop(accBase + r.Offset, 0, 0).Build())))
        {
            _k.Compute.Run(kernel);
        }
    }

    /// <summary>
    /// Store→compute tokens the compute stage has taken; every store of a plane signals one, in order. Waiting until
    /// <paramref name="count"/> are taken means every store up to that one is done.
    /// </summary>
    private long _storesTaken;

    private void WaitForStores(long count)
    {
        for (; _storesTaken < count; _storesTaken++)
        {
            _k.Compute.WaitFor(Stage.Store);
        }
    }

    /// <summary>Epilogue in the ACC, then the STORE of the tile (once per plane, with an ALU SHR 8 between planes).</summary>
    private void FinishTile(TilePos pos, int accBase, long tile)
    {
        var k = pos.K;
        int biasBase = _s.BiasResident ? (pos.Gt * _t.Groups * _p.OutBlocks) + (pos.Ot * _t.OutBlocks) : 0;
        int residualBase = accBase + (int)_s.AccTile;
        foreach (var step in _s.E.Lower())
        {
            var (op, operand, imm) = step;
            var kernels = operand switch
            {
                AluOperand.Bias => Built("alu", step, k, biasBase, 0, accBase, () => k.Bias.Select(f => f.Build(UopKernel.Alu(op), accBase, biasBase))),
                AluOperand.Shift => Built("alu", step, k, biasBase + ShiftSram(step.Vector), 0, accBase,
                    () => k.Bias.Select(f => f.Build(UopKernel.Alu(op), accBase, biasBase + ShiftSram(step.Vector)))),
                AluOperand.Residual => Built("alu", step, k, residualBase, 0, accBase, () => ConvKernels.Ranges(k.TileElements)
                    .Select(r => UopKernel.Alu(op).Loop(r.Length, dst: 1, src: 1).Uop(accBase + r.Offset, residualBase + r.Offset).Build())),
                _ => Built("alu", step, k, 0, 0, accBase, () => ConvKernels.Ranges(k.TileElements)
                    .Select(r => UopKernel.Alu(op, imm).Loop(r.Length, dst: 1, src: 1).Uop(accBase + r.Offset, accBase + r.Offset).Build())),
            };
            foreach (var kernel in kernels)
            {
                _k.Compute.Run(kernel);
            }
        }

        for (int plane = 0; plane < _s.E.Planes; plane++)
        {
            if (plane > 0)
            {
                // The previous plane must have left the OUT buffer before the shift overwrites it.
                WaitForStores((tile * _s.E.Planes) + plane);
                var shift = new AluStep(AluOpcode.Shr, AluOperand.Immediate, 8);
                foreach (var kernel in Built("alu", shift, k, 0, 0, accBase, () => ConvKernels.Ranges(k.TileElements)
                    .Select(r => UopKernel.Alu(AluOpcode.Shr, 8).Loop(r.Length, dst: 1, src: 1).Uop(accBase + r.Offset, accBase + r.Offset).Build())))
                {
                    _k.Compute.Run(kernel);
                }
            }

            _k.Compute.Signal(Stage.Store);
            _k.Store.WaitFor(Stage.Compute);
            foreach (var (dram, sram) in OutputTiles(pos))
            {
                _k.Store.Store(accBase + sram, dram with { Offset = dram.Offset + (plane * operands.OutputPlaneElements) });
            }

            _k.Store.Signal(Stage.Compute);
        }
    }

    /// <summary>
    /// The per-channel vectors the epilogue reads (bias, then the stacked shift vectors: vector v starts at element
    /// v·OutChannelBlocks of the shifts buffer), where each one's region starts in the ACC, and its first DRAM element.
    /// </summary>
    private IEnumerable<(DeviceBuffer Vector, int Sram, long Dram)> ChannelVectors()
    {
        if (_s.E.NeedsBias)
        {
            yield return (operands.Bias!, 0, 0);
        }

        for (int v = 0; v < _s.E.ShiftVectors; v++)
        {
            yield return (operands.Shifts!, ShiftSram(v), (long)v * _p.OutChannelBlocks);
        }
    }

    private int ShiftSram(int vector) => _s.ShiftBase + (vector * _s.VectorRegion);

    private void LoadInput(TilePos pos, int ck, int inpBase)
    {
        var k = pos.K;
        int h = _p.InHeight, w = _p.InWidth, cb = _p.InChannelBlocks;
        long imageElems = (long)h * w;
        int firstBlock = (pos.Gt * _t.Groups * _p.InBlocks) + (ck * _t.InBlocks);
        long run = _t.Groups * _t.InBlocks * imageElems;
        bool contiguous = _t.Groups == 1 || _t.InBlocks == _p.InBlocks;
        if (_s.WholeImageInput && contiguous && run <= ushort.MaxValue)
        {
            // Every block is the whole unpadded image and the blocks are adjacent in DRAM: one run per batch block.
            long first = (((long)pos.Nt * _t.BatchBlocks * cb) + firstBlock) * imageElems;
            long stride = cb * imageElems;
            if (_t.BatchBlocks == 1 || stride <= ushort.MaxValue)
            {
                _k.Load.Tile(new DramTile(operands.Data, MemoryType.Inp, first, _t.BatchBlocks, (int)run, _t.BatchBlocks == 1 ? (int)run : (int)stride), sram: inpBase);
                return;
            }
        }

        var rows = _p.Rows.Window(pos.Ry, k.Rows);
        var cols = _p.Cols.Window(pos.Rx, k.Cols);
        var pads = new Pads(rows.Pad0, rows.Pad1, cols.Pad0, cols.Pad1);
        int blockElems = k.WindowRows * k.WindowCols;
        for (int n = 0; n < _t.BatchBlocks; n++)
        {
            for (int g = 0; g < _t.Groups; g++)
            {
                for (int c = 0; c < _t.InBlocks; c++)
                {
                    long nb = ((long)pos.Nt * _t.BatchBlocks) + n;
                    long block = (nb * cb) + firstBlock + (g * _p.InBlocks) + c;
                    long first = (((block * h) + rows.First) * w) + cols.First;
                    var tile = new DramTile(operands.Data, MemoryType.Inp, first, rows.Size, cols.Size, _p.Rows.InputStep * w);
                    _k.Load.Tile(tile, sram: inpBase + ((((n * _t.Groups) + g) * _t.InBlocks) + c) * blockElems, pads);
                }
            }
        }
    }

    private void LoadWeights(TilePos pos, int ck, int wgtBase)
    {
        int taps = _p.WeightTaps;
        int rowElems = _t.InBlocks * taps;
        int stride = _p.InBlocks * taps;
        foreach (var (g0, count) in GroupRuns())
        {
            int rows = count * _t.OutBlocks;
            long ob = ((long)(pos.Gt * _t.Groups + g0) * _p.OutBlocks) + (pos.Ot * _t.OutBlocks);
            long first = ((ob * _p.InBlocks) + (ck * _t.InBlocks)) * taps;
            int sram = wgtBase + (g0 * _t.OutBlocks * rowElems);
            if (rowElems == stride && (long)rows * rowElems <= ushort.MaxValue)
            {
                _k.Load.Tile(DramTile.Row(operands.Weights, MemoryType.Wgt, first, rows * rowElems), sram);
            }
            else if (stride <= ushort.MaxValue)
            {
                _k.Load.Tile(new DramTile(operands.Weights, MemoryType.Wgt, first, rows, rowElems, stride), sram);
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    _k.Load.Tile(DramTile.Row(operands.Weights, MemoryType.Wgt, first + ((long)r * stride), rowElems), sram + (r * rowElems));
                }
            }
        }
    }

    /// <summary>Runs of groups whose output blocks are adjacent in DRAM (all of them when a tile holds whole groups).</summary>
    private IEnumerable<(int G0, int Count)> GroupRuns() =>
        _t.OutBlocks == _p.OutBlocks ? [(0, _t.Groups)] : Enumerable.Range(0, _t.Groups).Select(g => (g, 1));

    /// <summary>The output tile as DRAM tiles and their offsets in the dense ACC tile [n][g][o][rows][cols], merged where rows or blocks are adjacent.</summary>
    private IEnumerable<(DramTile Tile, int Sram)> OutputTiles(TilePos pos)
    {
        var k = pos.K;
        int oh = _p.OutHeight, ow = _p.OutWidth, ob = _p.OutChannelBlocks;
        int pixels = k.OutRows * k.OutCols;
        long plane = (long)oh * ow;
        int row0 = pos.Ry * _p.OutStepY, col0 = pos.Rx * _p.OutStepX;
        long run = (long)_t.Groups * _t.OutBlocks * pixels;
        bool wholeBlocks = k.OutRows == oh && k.OutCols == ow && (_t.Groups == 1 || _t.OutBlocks == _p.OutBlocks);
        long firstBlock(int n, int g, int o) => ((((long)pos.Nt * _t.BatchBlocks) + n) * ob) + ((long)(pos.Gt * _t.Groups + g) * _p.OutBlocks) + (pos.Ot * _t.OutBlocks) + o;
        if (wholeBlocks && run <= ushort.MaxValue && (_t.BatchBlocks == 1 || ob * plane <= ushort.MaxValue))
        {
            yield return (new DramTile(operands.Output, MemoryType.Out, firstBlock(0, 0, 0) * plane, _t.BatchBlocks, (int)run,
                _t.BatchBlocks == 1 ? (int)run : (int)(ob * plane)), 0);
            yield break;
        }

        for (int n = 0; n < _t.BatchBlocks; n++)
        {
            for (int g = 0; g < _t.Groups; g++)
            {
                int sram = ((n * _t.Groups) + g) * _t.OutBlocks * pixels;
                if (k.OutCols == ow && pixels <= ushort.MaxValue && (_t.OutBlocks == 1 || plane <= ushort.MaxValue))
                {
                    long first = (firstBlock(n, g, 0) * plane) + ((long)row0 * ow);
                    yield return (new DramTile(operands.Output, MemoryType.Out, first, _t.OutBlocks, pixels, _t.OutBlocks == 1 ? pixels : (int)plane), sram);
                    continue;
                }

                for (int o = 0; o < _t.OutBlocks; o++)
                {
                    long first = (((firstBlock(n, g, o) * oh) + row0) * ow) + col0;
                    yield return (new DramTile(operands.Output, MemoryType.Out, first, k.OutRows, k.OutCols, ow), sram + (o * pixels));
                }
            }
        }
    }

    private UopKernel[] Built(string kind, AluStep step, ConvKernels k, int a, int b, int c, Func<IEnumerable<UopKernel>> build)
    {
        var key = (kind, step, k.Rows, k.Cols, a, b, c);
        if (!_built.TryGetValue(key, out var kernels))
        {
            _built[key] = kernels = [.. build()];
        }

        return kernels;
    }
}
