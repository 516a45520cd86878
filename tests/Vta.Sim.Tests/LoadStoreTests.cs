using System.Runtime.InteropServices;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

public class LoadStoreTests
{
    private const sbyte Garbage = 0x55;

    /// <summary>DRAM INP element e, channel c holds e·7 + c (wrapping), so every byte says where it came from.</summary>
    private static sbyte Pattern(int e, int c) => unchecked((sbyte)((e * 7) + c));

    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(1, 0, 0, 0)]
    [InlineData(0, 2, 0, 0)]
    [InlineData(0, 0, 1, 0)]
    [InlineData(0, 0, 0, 2)]
    [InlineData(2, 1, 3, 1)]
    public void InpLoadCopiesStridedRowsAndZeroPads(int yPad0, int yPad1, int xPad0, int xPad1)
    {
        var h = new SimHarness();
        int elem = h.Config.InpElemBytes;
        const int Stride = 5;
        const int DramBase = 1;
        var src = new sbyte[4 * Stride * elem];
        for (int e = 0; e < 4 * Stride; e++)
        {
            for (int c = 0; c < elem; c++)
            {
                src[(e * elem) + c] = Pattern(e, c);
            }
        }

        uint addr = h.Put(src);
        h.Sim.Sram.Inp.Fill(Garbage);
        const int SramBase = 10;
        h.Sim.Run([
            SimHarness.Load(MemoryType.Inp, SramBase, h.Elem(addr, MemoryType.Inp) + DramBase, y: 2, x: 3, stride: Stride,
                yPad0, yPad1, xPad0, xPad1, DepFlags.PushNext),
            SimHarness.Finish(DepFlags.PopPrev),
        ]);

        int w = xPad0 + 3 + xPad1;
        int hgt = yPad0 + 2 + yPad1;
        var sram = h.Sim.Sram.Inp;
        for (int e = 0; e < h.Config.InpBuffDepth; e++)
        {
            int rel = e - SramBase;
            for (int c = 0; c < elem; c++)
            {
                sbyte expected;
                if (rel < 0 || rel >= w * hgt)
                {
                    expected = Garbage; // outside the window: untouched
                }
                else
                {
                    int row = (rel / w) - yPad0;
                    int col = (rel % w) - xPad0;
                    expected = row is >= 0 and < 2 && col is >= 0 and < 3 ? Pattern(DramBase + (row * Stride) + col, c) : (sbyte)0;
                }

                Assert.True(expected == sram[(e * elem) + c], $"INP[{e}][{c}] = {sram[(e * elem) + c]}, expected {expected}");
            }
        }

        Assert.Equal(2 * 3 * elem, h.Sim.Counters.InpLoadNbytes); // padding is not counted
    }

    [Fact]
    public void AccLoadPadsWithZeroRows()
    {
        var h = new SimHarness();
        int lanes = h.Config.Batch * h.Config.BlockOut;
        var src = Enumerable.Range(1, 2 * lanes).ToArray(); // two ACC elements: 1..16, 17..32
        uint addr = h.Put(src);
        h.Sim.Sram.Acc.Fill(-1);
        // One row of 2 elements with one zero row before and one zero element after: window 3 wide, 2 high.
        h.RunCompute(SimHarness.Load(MemoryType.Acc, 4, h.Elem(addr, MemoryType.Acc), y: 1, x: 2, yPad0: 1, xPad1: 1));
        var acc = h.Sim.Sram.Acc;
        Assert.All(acc[(3 * lanes)..(4 * lanes)].ToArray(), v => Assert.Equal(-1, v));
        Assert.All(acc[(4 * lanes)..(7 * lanes)].ToArray(), v => Assert.Equal(0, v));
        Assert.Equal(src, acc[(7 * lanes)..(9 * lanes)].ToArray());
        Assert.All(acc[(9 * lanes)..(10 * lanes)].ToArray(), v => Assert.Equal(0, v));
        Assert.All(acc[(10 * lanes)..(11 * lanes)].ToArray(), v => Assert.Equal(-1, v));
        Assert.Equal(2 * 64, h.Sim.Counters.AccLoadNbytes);
    }

    [Fact]
    public void Acc8BitLoadSignExtendsAndCountsSixtyFourBytes()
    {
        var h = new SimHarness(VtaConfig.Create(target: "sim"));
        var src = new sbyte[16];
        sbyte[] values = [-1, 127, -128, 5];
        values.CopyTo(src, 0);
        uint addr = h.Put(src);
        h.RunCompute(SimHarness.Load(MemoryType.Acc8Bit, 3, h.Elem(addr, MemoryType.Acc8Bit), y: 1, x: 1));
        Assert.Equal(new[] { -1, 127, -128, 5, 0 }, h.Sim.Sram.Acc.Slice(3 * 16, 5).ToArray());
        Assert.Equal(64, h.Sim.Counters.AccLoadNbytes); // TVM's quirk: ACC_ELEM_BYTES although 16 bytes were read
    }

    [Fact]
    public void UopLoadDecodesTwoDimensionallyInFsimAndConsecutivelyOnHardware()
    {
        foreach (var semantics in new[] { OutSemantics.Fsim, OutSemantics.Hardware })
        {
            var h = new SimHarness();
            h.Sim.Semantics = semantics;
            var all = Enumerable.Range(0, 8).Select(i => new Uop(i, 100 + i, 200 + i)).ToArray();
            uint addr = h.PutUops(all);
            // Two rows of two uops with stride 3: fsim takes uops 0,1 then 3,4; HLS takes x_size = 2 consecutive uops only.
            h.RunCompute(SimHarness.Load(MemoryType.Uop, 5, h.Elem(addr, MemoryType.Uop), y: 2, x: 2, stride: 3));
            var uops = h.Sim.Sram.Uops;
            Uop[] expected = semantics == OutSemantics.Fsim ? [all[0], all[1], all[3], all[4]] : [all[0], all[1], default, default];
            Assert.Equal(expected, uops.Slice(5, 4).ToArray());
            Assert.Equal(2 * 2 * 4, h.Sim.Counters.UopLoadNbytes);
        }
    }

    [Fact]
    public void WgtLoadPadsInFsimButIgnoresPadsOnHardware()
    {
        foreach (var semantics in new[] { OutSemantics.Fsim, OutSemantics.Hardware })
        {
            var h = new SimHarness();
            h.Sim.Semantics = semantics;
            int elem = h.Config.WgtElemBytes;
            var src = new sbyte[2 * elem];
            src.AsSpan(0, elem).Fill(3);
            src.AsSpan(elem, elem).Fill(4);
            uint addr = h.Put(src);
            h.Sim.Sram.Wgt.Fill(Garbage);
            h.Sim.Run([
                SimHarness.Load(MemoryType.Wgt, 0, h.Elem(addr, MemoryType.Wgt), y: 1, x: 2, xPad0: 1, deps: DepFlags.PushNext),
                SimHarness.Finish(DepFlags.PopPrev),
            ]);
            var wgt = h.Sim.Sram.Wgt.ToArray();
            sbyte[] expectedFirsts = semantics == OutSemantics.Fsim ? [0, 3, 4, Garbage] : [3, 4, Garbage, Garbage];
            Assert.Equal(expectedFirsts, Enumerable.Range(0, 4).Select(e => wgt[e * elem]).ToArray());
        }
    }

    [Fact]
    public void StoreTruncatesToLowEightBitsAndHonoursStride()
    {
        var h = new SimHarness();
        int lanes = h.Config.Batch * h.Config.BlockOut;
        int[] values = [256 + 5, -129, 127, 128, -1, 1000, -1000, int.MinValue];
        sbyte[] truncated = [5, 127, 127, -128, -1, -24, 24, 0];
        values.CopyTo(h.Sim.Sram.Acc[(2 * lanes)..]);
        values.CopyTo(h.Sim.Sram.Acc[(3 * lanes)..]);
        var init = Enumerable.Repeat(Garbage, 5 * lanes).ToArray();
        uint addr = h.Put(init);
        // Two rows of one element, DRAM stride 3: elements 1 and 4 are written, the rest keep their contents.
        h.Sim.Run([
            SimHarness.Store(2, h.Elem(addr, MemoryType.Out) + 1, y: 2, x: 1, stride: 3, deps: DepFlags.PushPrev),
            SimHarness.Finish(DepFlags.PopNext),
        ]);
        var dram = h.ReadSbytes(addr, 5 * lanes);
        for (int e = 0; e < 5; e++)
        {
            var tile = dram.AsSpan(e * lanes, lanes);
            if (e is 1 or 4)
            {
                Assert.Equal(truncated, tile[..8].ToArray());
                Assert.All(tile[8..].ToArray(), v => Assert.Equal(0, v));
            }
            else
            {
                Assert.All(tile.ToArray(), v => Assert.Equal(Garbage, v));
            }
        }

        Assert.Equal(2 * 16, h.Sim.Counters.OutStoreNbytes);
    }

    [Fact]
    public void PortBasesOffsetEveryLoad()
    {
        var h = new SimHarness();
        int elem = h.Config.InpElemBytes;
        var src = new sbyte[4 * elem];
        src.AsSpan(3 * elem, elem).Fill(9);
        uint region = h.Put(src);
        h.Sim.Bases = PortBases.Zero with { Inp = region };
        h.Sim.Run([SimHarness.Load(MemoryType.Inp, 0, 3, y: 1, x: 1, deps: DepFlags.PushNext), SimHarness.Finish(DepFlags.PopPrev)]);
        Assert.All(h.Sim.Sram.Inp[..elem].ToArray(), v => Assert.Equal(9, v));

        // The same dram_base without the base register points at address 48, which is not allocated.
        h.Sim.Bases = PortBases.Zero;
        var e = Assert.Throws<VtaSimException>(() =>
            h.Sim.Run([SimHarness.Load(MemoryType.Inp, 0, 3, y: 1, x: 1, deps: DepFlags.PushNext), SimHarness.Finish(DepFlags.PopPrev)]));
        Assert.Equal(0, e.InstructionIndex);
        Assert.Contains("0x00000030", e.Message);
    }

    [Fact]
    public void RunReadsEncodedInstructionsFromDram()
    {
        var h = new SimHarness();
        var acc = new int[16];
        acc[0] = 300;
        uint accAddr = h.Put(acc);
        uint outAddr = h.Put(new sbyte[16]);
        Instruction[] program =
        [
            SimHarness.Load(MemoryType.Acc, 0, h.Elem(accAddr, MemoryType.Acc), 1, 1, deps: DepFlags.PushNext),
            SimHarness.Store(0, h.Elem(outAddr, MemoryType.Out), 1, 1, deps: DepFlags.PopPrev | DepFlags.PushPrev),
            SimHarness.Finish(DepFlags.PopNext),
        ];
        uint insns = h.Put(new InsnEncoder(h.Config).EncodeAll(program));
        h.Sim.Run(insns, program.Length);
        Assert.Equal(300 - 256, h.ReadSbytes(outAddr, 1)[0]);
    }
}
