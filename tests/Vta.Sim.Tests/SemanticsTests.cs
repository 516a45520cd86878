using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

/// <summary>Where TVM's simulator (STORE truncates ACC) and the HLS bitstream (separate OUT buffer) differ, and where not.</summary>
public class SemanticsTests
{
    private static sbyte[] RunAndStore(OutSemantics semantics, Func<SimHarness, Instruction[]> compute, Action<SimHarness>? setup = null)
    {
        var h = new SimHarness();
        h.Sim.Semantics = semantics;
        setup?.Invoke(h);
        uint output = h.Put(new sbyte[16]);
        var body = compute(h);
        body[^1] = body[^1].WithDeps(body[^1].Deps | DepFlags.PushNext);
        h.Sim.Run([
            .. body,
            SimHarness.Store(0, h.Elem(output, MemoryType.Out), 1, 1, deps: DepFlags.PopPrev | DepFlags.PushPrev),
            SimHarness.Finish(DepFlags.PopNext),
        ]);
        return h.ReadSbytes(output, 16);
    }

    private static Instruction[] LoadAcc(SimHarness h, bool withCopy)
    {
        var acc = Enumerable.Range(0, 16).Select(i => (i * 40) - 300).ToArray();
        uint addr = h.Put(acc);
        uint uops = h.PutUops(new Uop(0, 0, 0));
        Instruction load = SimHarness.Load(MemoryType.Acc, 0, h.Elem(addr, MemoryType.Acc), 1, 1);
        return withCopy
            ? [load, SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), 1, 1), SimHarness.Alu(AluOpcode.Shr, 0, 1, useImm: true, imm: 0)]
            : [load];
    }

    private static sbyte[] Truncated => Enumerable.Range(0, 16).Select(i => unchecked((sbyte)((i * 40) - 300))).ToArray();

    [Fact]
    public void LoadAccThenStoreDiffers()
    {
        // Fsim narrows ACC at store time; the bitstream stores its OUT buffer, which no GEMM/ALU has written (stale zeros).
        Assert.Equal(Truncated, RunAndStore(OutSemantics.Fsim, h => LoadAcc(h, withCopy: false)));
        Assert.Equal(new sbyte[16], RunAndStore(OutSemantics.Hardware, h => LoadAcc(h, withCopy: false)));
    }

    [Fact]
    public void ShiftByZeroBeforeStoreMakesThemAgree()
    {
        Assert.Equal(Truncated, RunAndStore(OutSemantics.Fsim, h => LoadAcc(h, withCopy: true)));
        Assert.Equal(Truncated, RunAndStore(OutSemantics.Hardware, h => LoadAcc(h, withCopy: true)));
    }

    [Fact]
    public void StaleOutKeepsTheLastAluResultOnHardware()
    {
        // ALU writes OUT, then a later ACC load changes ACC only: hardware still stores the ALU's result.
        static Instruction[] Program(SimHarness h)
        {
            var first = LoadAcc(h, withCopy: true);
            uint other = h.Put(Enumerable.Repeat(1, 16).ToArray());
            return [.. first, SimHarness.Load(MemoryType.Acc, 0, h.Elem(other, MemoryType.Acc), 1, 1)];
        }

        Assert.Equal(Enumerable.Repeat((sbyte)1, 16).ToArray(), RunAndStore(OutSemantics.Fsim, Program));
        Assert.Equal(Truncated, RunAndStore(OutSemantics.Hardware, Program));
    }

    [Fact]
    public void ResetGemmStoresZeroInFsimButOldAccPlusDotOnHardware()
    {
        void Setup(SimHarness h)
        {
            var sram = h.Sim.Sram;
            sram.Inp[0] = 3;
            for (int o = 0; o < 16; o++)
            {
                sram.Wgt[o * 16] = (sbyte)o;   // dot[o] = 3·o
                sram.Acc[o] = 250;            // old accumulator
            }

            sram.Uops[0] = new Uop(0, 0, 0);
        }

        Instruction[] Reset(SimHarness h) => [SimHarness.Gemm(0, 1, reset: true)];
        Assert.Equal(new sbyte[16], RunAndStore(OutSemantics.Fsim, Reset, Setup));
        Assert.Equal(Enumerable.Range(0, 16).Select(o => unchecked((sbyte)(250 + (3 * o)))).ToArray(), RunAndStore(OutSemantics.Hardware, Reset, Setup));
    }

    [Fact]
    public void GemmWritesOutOnHardware()
    {
        void Setup(SimHarness h)
        {
            h.Sim.Sram.Inp[0] = 2;
            h.Sim.Sram.Wgt[0] = 100; // dot[0] = 200 → OUT −56
            h.Sim.Sram.Uops[0] = new Uop(0, 0, 0);
        }

        Instruction[] Gemm(SimHarness h) => [SimHarness.Gemm(0, 1)];
        Assert.Equal(-56, RunAndStore(OutSemantics.Hardware, Gemm, Setup)[0]);
        Assert.Equal(-56, RunAndStore(OutSemantics.Fsim, Gemm, Setup)[0]);
    }
}
