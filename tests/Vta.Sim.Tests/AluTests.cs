using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

public class AluTests
{
    private static readonly int[] s_x = [-5, 3, 100, -100, 7, 0, int.MaxValue, int.MinValue, 1, -1, 64, -64, 2, 200, -200, 9];
    private static readonly int[] s_y = [1, -1, 200, -300, 7, 5, 1, -1, 20, 3, -2, 40, 31, 0, 2, -33];

    private static int[] RunAlu(AluInsn insn, OutSemantics semantics = OutSemantics.Fsim, VtaConfig? config = null)
    {
        var h = new SimHarness(config);
        h.Sim.Semantics = semantics;
        var sram = h.Sim.Sram;
        s_x.CopyTo(sram.Acc);
        s_y.CopyTo(sram.Acc[16..]);
        sram.Uops[0] = new Uop(0, 1, 0);
        h.RunCompute(insn);
        Assert.Equal(s_y, sram.Acc.Slice(16, 16).ToArray()); // the source tile is untouched
        return sram.Acc[..16].ToArray();
    }

    [Fact]
    public void MinMaxAddWithImmediate()
    {
        Assert.Equal(new[] { -5, 0, 0, -100, 0, 0, 0, int.MinValue, 0, -1, 0, -64, 0, 0, -200, 0 },
            RunAlu(SimHarness.Alu(AluOpcode.Min, 0, 1, useImm: true, imm: 0)));
        Assert.Equal(new[] { -3, 3, 100, -3, 7, 0, int.MaxValue, -3, 1, -1, 64, -3, 2, 200, -3, 9 },
            RunAlu(SimHarness.Alu(AluOpcode.Max, 0, 1, useImm: true, imm: -3)));
        Assert.Equal(new[] { -1005, -997, -900, -1100, -993, -1000, int.MaxValue - 1000, unchecked(int.MinValue - 1000), -999, -1001, -936, -1064, -998, -800, -1200, -991 },
            RunAlu(SimHarness.Alu(AluOpcode.Add, 0, 1, useImm: true, imm: -1000)));
    }

    [Fact]
    public void MinMaxAddWithVectorOperand()
    {
        Assert.Equal(new[] { -5, -1, 100, -300, 7, 0, 1, int.MinValue, 1, -1, -2, -64, 2, 0, -200, -33 },
            RunAlu(SimHarness.Alu(AluOpcode.Min, 0, 1)));
        Assert.Equal(new[] { 1, 3, 200, -100, 7, 5, int.MaxValue, -1, 20, 3, 64, 40, 31, 200, 2, 9 },
            RunAlu(SimHarness.Alu(AluOpcode.Max, 0, 1)));
        Assert.Equal(new[] { -4, 2, 300, -400, 14, 5, int.MinValue, int.MaxValue, 21, 2, 62, -24, 33, 200, -198, -24 },
            RunAlu(SimHarness.Alu(AluOpcode.Add, 0, 1)));
    }

    [Fact]
    public void ShrImmediateRightIsArithmeticAndNegativeShiftsLeft()
    {
        Assert.Equal(new[] { -2, 0, 25, -25, 1, 0, int.MaxValue >> 2, int.MinValue >> 2, 0, -1, 16, -16, 0, 50, -50, 2 },
            RunAlu(SimHarness.Alu(AluOpcode.Shr, 0, 1, useImm: true, imm: 2)));
        Assert.Equal(new[] { -40, 24, 800, -800, 56, 0, -8, 0, 8, -8, 512, -512, 16, 1600, -1600, 72 },
            RunAlu(SimHarness.Alu(AluOpcode.Shr, 0, 1, useImm: true, imm: -3)));
        Assert.Equal(s_x, RunAlu(SimHarness.Alu(AluOpcode.Shr, 0, 1, useImm: true, imm: 0)));
    }

    [Fact]
    public void ShrVectorOperandFsimVersusHardware()
    {
        // Fsim uses the full y (mod 32 for |y| ≥ 32, as x86 does); hardware reads the low 5 bits of y as signed.
        // Lane 8: x = 1, y = 20 → fsim 1 >> 20 = 0; hardware 20 = 0b10100 → −12 → 1 << 12 = 4096.
        // Lane 11: x = −64, y = 40 → fsim −64 >> 8 = −1; hardware 40 & 31 = 8 → −1 as well.
        // Lane 15: x = 9, y = −33 → fsim 9 << 1 = 18; hardware −33 = …011111 → −1 → 9 << 1 = 18.
        // Lane 12: x = 2, y = 31 → fsim 2 >> 31 = 0; hardware 31 = 0b11111 → −1 → 2 << 1 = 4.
        var fsim = RunAlu(SimHarness.Alu(AluOpcode.Shr, 0, 1));
        var hw = RunAlu(SimHarness.Alu(AluOpcode.Shr, 0, 1), OutSemantics.Hardware);
        Assert.Equal(new[] { -3, 6, 0, -409600, 0, 0, int.MaxValue >> 1, 0, 0, -1, 256, -1, 0, 200, -50, 18 }, fsim);
        Assert.Equal(0, fsim[8]);
        Assert.Equal(4096, hw[8]);
        Assert.Equal(-1, hw[11]);
        Assert.Equal(18, hw[15]);
        Assert.Equal(4, hw[12]);
        Assert.Equal(fsim[0], hw[0]);
    }

    [Fact]
    public void MulWrapsOnTheSimTarget()
    {
        var result = RunAlu(SimHarness.Alu(AluOpcode.Mul, 0, 1), config: VtaConfig.Create(target: "sim"));
        Assert.Equal(Enumerable.Range(0, 16).Select(l => unchecked(s_x[l] * s_y[l])).ToArray(), result);
        Assert.Equal(-5, result[0]);
        Assert.Equal(30000, result[3]);
        Assert.Equal(int.MinValue, result[7]); // MIN · −1 wraps to MIN
        Assert.Equal(0, result[13]); // 200 · 0
    }

    [Fact]
    public void AluLoopsOverDstAndSrcFactorsAndCounts()
    {
        var h = new SimHarness();
        var sram = h.Sim.Sram;
        for (int t = 0; t < 8; t++)
        {
            sram.Acc.Slice(t * 16, 16).Fill(t * 10);
        }

        sram.Uops[0] = new Uop(0, 4, 0);
        // i in 0..1, j in 0..1: dst = 2i + j, src = 4 + 2i + j: ACC[t] += ACC[t + 4] for t = 0..3
        h.RunCompute(SimHarness.Alu(AluOpcode.Add, 0, 1, iterOut: 2, iterIn: 2, dstOut: 2, dstIn: 1, srcOut: 2, srcIn: 1));
        for (int t = 0; t < 4; t++)
        {
            Assert.All(sram.Acc.Slice(t * 16, 16).ToArray(), v => Assert.Equal((t * 10) + ((t + 4) * 10), v));
        }

        Assert.Equal(4, h.Sim.Counters.AluCounter);
    }
}
