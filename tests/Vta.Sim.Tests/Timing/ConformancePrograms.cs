using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Tests.Timing;

/// <summary>
/// Smaller copies of tvm-vta test_lib's programs with their token protocols (see tests/Vta.Conformance.Tests/Lib), using
/// the port base registers as test_lib does: dram_base counts elements from each port's base.
/// </summary>
internal static class ConformancePrograms
{
    /// <summary>
    /// blocked_gemm_test at 64 × 64 × 64 with block = 2·BLOCK_OUT and compressed uops: per output block a bias LOAD ACC,
    /// then per input block (ping-pong with two virtual threads) LOAD WGT, LOAD INP, GEMM, then STORE; FINISH drains.
    /// </summary>
    public static TwinProgram BlockedGemm(Dram dram, VtaConfig c, int vt)
    {
        const int Batch = 64, InF = 64, OutF = 64;
        var rng = new Random(vt);
        int block = 2 * c.BlockOut, bB = block / c.Batch, bI = block / c.BlockIn, bO = block / c.BlockOut;
        int inpBlock = bB * bI, wgtBlock = bI * bO, uopSize = bB * vt;
        var uops = new List<Uop>();
        for (int thread = 0; thread < vt; thread++)
        {
            for (int i = 0; i < bB; i++)
            {
                uops.Add(new Uop(i * bO, (thread * inpBlock) + (i * bI), thread * wgtBlock));
            }
        }

        uint uopAddr = TwinRun.PutUops(dram, c, uops);
        uint inp = TwinRun.PutRandom(dram, rng, Batch * InF * c.InpWidth / 8);
        uint wgt = TwinRun.PutRandom(dram, rng, OutF * InF * c.WgtWidth / 8);
        uint acc = TwinRun.PutRandom(dram, rng, Batch * OutF * 4);
        uint @out = dram.Alloc(Batch * OutF);
        var p = new List<Instruction> { SimHarness.Load(MemoryType.Uop, 0, 0, 1, uopSize) };
        for (int i = 0; i < Batch; i += block)
        {
            for (int j = 0; j < OutF; j += block)
            {
                DepFlags accDeps = (i > 0 || j > 0 ? DepFlags.PopNext : 0) | (vt == 1 ? DepFlags.PushPrev : 0);
                int outTile = ((i / c.Batch * OutF) + j) / c.BlockOut;
                p.Add(SimHarness.Load(MemoryType.Acc, 0, (uint)outTile, bB, bO, OutF / c.BlockOut, deps: accDeps));
                for (int k = 0; k < InF; k += block * vt)
                {
                    for (int l = 0; l < block * vt; l += block)
                    {
                        int kl = k + l, thread = l / block;
                        bool pop = vt == 1 || ((i > 0 || j > 0 || kl > 0) && kl != (block * vt) - block);
                        bool pushPrev = vt == 1
                            ? kl != InF - block
                            : kl != InF - (vt * block) && (kl != InF - block || j != OutF - block || i != Batch - block);
                        bool pushNext = kl == InF - block;
                        p.Add(SimHarness.Load(MemoryType.Wgt, thread * wgtBlock, (uint)(((j / c.BlockOut * InF) + kl) / c.BlockIn), bO, bI,
                            InF / c.BlockIn, deps: pop ? DepFlags.PopNext : 0));
                        p.Add(SimHarness.Load(MemoryType.Inp, thread * inpBlock, (uint)(((i / c.Batch * InF) + kl) / c.BlockIn), bB, bI,
                            InF / c.BlockIn, deps: DepFlags.PushNext));
                        var deps = DepFlags.PopPrev | (pushPrev ? DepFlags.PushPrev : 0) | (pushNext ? DepFlags.PushNext : 0);
                        int bgn = thread * bB;
                        p.Add(new GemmInsn(deps, false, bgn, bgn + bB, bI, bO, 0, 1, 1, 0, 1, bI));
                    }
                }

                p.Add(SimHarness.Store(0, (uint)outTile, bB, bO, OutF / c.BlockOut, DepFlags.PopPrev | DepFlags.PushPrev));
            }
        }

        p.Add(SimHarness.Finish(DepFlags.PopNext));
        return new TwinProgram(p, [(@out, Batch * OutF)], new PortBases(uopAddr, inp, wgt, acc, @out));
    }

    /// <summary>
    /// alu_test with 4 rows of 8 tiles: LOAD UOP; per row LOAD ACC (pop_next after the first), ALU (push_next),
    /// STORE (pop_prev, push_prev); FINISH pops the last store's token. Without an immediate the second operand is the
    /// 8 tiles after the first.
    /// </summary>
    public static TwinProgram AluTest(Dram dram, VtaConfig c, AluOpcode op, bool useImm)
    {
        const int Rows = 4, Tiles = 8;
        var rng = new Random((int)op);
        int rowTiles = useImm ? Tiles : 2 * Tiles;
        uint uopAddr = TwinRun.PutUops(dram, c, [.. Enumerable.Range(0, Tiles).Select(k => new Uop(k, Tiles + k))]);
        uint acc = TwinRun.PutRandom(dram, rng, Rows * rowTiles * c.AccElemBytes);
        uint @out = dram.Alloc(Rows * Tiles * c.OutElemBytes);
        var p = new List<Instruction> { SimHarness.Load(MemoryType.Uop, 0, 0, 1, Tiles) };
        short imm = (short)(op == AluOpcode.Shr ? 3 : rng.Next(-100, 100));
        for (int b = 0; b < Rows; b++)
        {
            p.Add(SimHarness.Load(MemoryType.Acc, 0, (uint)(b * rowTiles), 1, rowTiles, deps: b > 0 ? DepFlags.PopNext : 0));
            p.Add(SimHarness.Alu(op, 0, Tiles, useImm, imm, deps: DepFlags.PushNext));
            p.Add(SimHarness.Store(0, (uint)(b * Tiles), 1, Tiles, deps: DepFlags.PopPrev | DepFlags.PushPrev));
        }

        p.Add(SimHarness.Finish(DepFlags.PopNext));
        return new TwinProgram(p, [(@out, Rows * Tiles * c.OutElemBytes)], new PortBases(uopAddr, 0, 0, acc, @out));
    }
}
