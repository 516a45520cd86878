using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

public class CounterTests
{
    /// <summary>One instruction of each counted kind, plus NOPs (x_size 0) that must count nothing.</summary>
    private static (SimHarness H, Instruction[] Program, uint InpAddr, uint OutAddr) Build()
    {
        var h = new SimHarness();
        uint inp = h.Put(Enumerable.Repeat((sbyte)5, 6 * 16).ToArray());
        uint wgt = h.Put(new sbyte[2 * 256]);
        uint acc = h.Put(Enumerable.Repeat(1000, 4 * 16).ToArray());
        uint uops = h.PutUops(Enumerable.Range(0, 5).Select(i => new Uop(i, i, i)).ToArray());
        uint output = h.Put(Enumerable.Repeat((sbyte)0x55, 4 * 16).ToArray());
        Instruction[] program =
        [
            SimHarness.Load(MemoryType.Inp, 0, h.Elem(inp, MemoryType.Inp), y: 3, x: 2, xPad0: 1, yPad1: 1),
            SimHarness.Load(MemoryType.Wgt, 0, h.Elem(wgt, MemoryType.Wgt), y: 2, x: 1),
            new MemInsn(Opcode.Load, DepFlags.PushNext, MemoryType.Inp, 0, 0, YSize: 5, XSize: 0, XStride: 0),
            SimHarness.Load(MemoryType.Acc, 0, h.Elem(acc, MemoryType.Acc), y: 1, x: 4),
            SimHarness.Load(MemoryType.Uop, 0, h.Elem(uops, MemoryType.Uop), y: 1, x: 5),
            new MemInsn(Opcode.Load, DepFlags.None, MemoryType.Uop, 0, 0, YSize: 3, XSize: 0, XStride: 0),
            SimHarness.Gemm(0, 4, iterOut: 2, iterIn: 3, deps: DepFlags.PopPrev),
            SimHarness.Gemm(0, 4, reset: true),
            SimHarness.Alu(AluOpcode.Max, 0, 3, useImm: true, deps: DepFlags.PushNext),
            SimHarness.Store(0, h.Elem(output, MemoryType.Out), y: 2, x: 2, deps: DepFlags.PopPrev),
            // TVM's runtime emits store NOPs with memory type UOP.
            new MemInsn(Opcode.Store, DepFlags.PushPrev, MemoryType.Uop, 0, 0, YSize: 9, XSize: 0, XStride: 0),
            SimHarness.Finish(DepFlags.PopNext),
        ];
        return (h, program, inp, output);
    }

    private static void AssertCounters(SimCounters c, int times)
    {
        Assert.Equal(times * 2 * 3 * 16, c.InpLoadNbytes); // pads not counted
        Assert.Equal(times * 2 * 256, c.WgtLoadNbytes);
        Assert.Equal(times * 4 * 64, c.AccLoadNbytes);
        Assert.Equal(times * 5 * 4, c.UopLoadNbytes);
        Assert.Equal(times * 2 * 2 * 16, c.OutStoreNbytes);
        Assert.Equal(times * 2 * 3 * 4, c.GemmCounter); // the reset GEMM is not counted
        Assert.Equal(times * 3, c.AluCounter);
    }

    [Fact]
    public void EachRuleCountsAndAccumulatesAcrossRuns()
    {
        var (h, program, _, _) = Build();
        h.Sim.Run(program);
        AssertCounters(h.Sim.Counters, 1);
        h.Sim.Run(program);
        AssertCounters(h.Sim.Counters, 2);
        h.Sim.Counters.Clear();
        Assert.All(h.Sim.Counters.ToList(), kv => Assert.Equal(0, kv.Value));
    }

    [Fact]
    public void SkipExecutionCountsButMovesOnlyUops()
    {
        var (h, program, _, outAddr) = Build();
        h.Sim.SkipExecution = true;
        h.Sim.Run(program);
        AssertCounters(h.Sim.Counters, 1);
        Assert.All(h.Sim.Sram.Inp.ToArray(), v => Assert.Equal(0, v));
        Assert.All(h.Sim.Sram.Acc.ToArray(), v => Assert.Equal(0, v));
        Assert.Equal(new Uop(4, 4, 4), h.Sim.Sram.Uops[4]); // UOP loads always execute
        Assert.All(h.ReadSbytes(outAddr, 4 * 16), v => Assert.Equal(0x55, v)); // the STORE wrote nothing
    }

    [Fact]
    public void WithoutSkipTheDataMoves()
    {
        var (h, program, _, outAddr) = Build();
        h.Sim.Run(program);
        Assert.Equal(0, h.Sim.Sram.Inp[0]);   // x_pad_0 column
        Assert.Equal(5, h.Sim.Sram.Inp[16]);
        Assert.Equal(0, h.Sim.Sram.Acc[0]);   // zeroed by the reset GEMM
        Assert.All(h.ReadSbytes(outAddr, 16), v => Assert.Equal(0, v));
    }

    [Fact]
    public void ListUsesTvmKeysInOrderAndAddSums()
    {
        var a = new SimCounters { InpLoadNbytes = 1, WgtLoadNbytes = 2, AccLoadNbytes = 3, UopLoadNbytes = 4, OutStoreNbytes = 5, GemmCounter = 6, AluCounter = 7 };
        var b = a.Clone();
        b.Add(a);
        Assert.Equal(
            ["inp_load_nbytes", "wgt_load_nbytes", "acc_load_nbytes", "uop_load_nbytes", "out_store_nbytes", "gemm_counter", "alu_counter"],
            b.ToList().Select(kv => kv.Key));
        Assert.Equal([2L, 4, 6, 8, 10, 12, 14], b.ToList().Select(kv => kv.Value));
        Assert.Equal(1, a.InpLoadNbytes);
    }
}
