using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

public class ErrorTests
{
    private static VtaSimException RunExpectingError(SimHarness h, params Instruction[] program) =>
        Assert.Throws<VtaSimException>(() => h.Sim.Run(program));

    private static void AssertNamesIndex(VtaSimException e, int index, string fragment)
    {
        Assert.Equal(index, e.InstructionIndex);
        Assert.StartsWith($"instruction {index}: ", e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Theory]
    [InlineData(5, "unknown opcode 5")]
    [InlineData(7, "unknown opcode 7")]
    public void UnknownOpcodeFromDramNamesTheIndex(int opcode, string fragment)
    {
        var h = new SimHarness();
        var bytes = new InsnEncoder(h.Config).EncodeAll([SimHarness.Gemm(0, 0), SimHarness.Gemm(0, 0), SimHarness.Finish()]);
        bytes[16] = (byte)((bytes[16] & ~7) | opcode);
        uint addr = h.Put(bytes);
        AssertNamesIndex(Assert.Throws<VtaSimException>(() => h.Sim.Run(addr, 3)), 1, fragment);
    }

    [Fact]
    public void UnknownMemoryTypeAndAluOpcodeFromDram()
    {
        var h = new SimHarness();
        var enc = new InsnEncoder(h.Config);
        var bytes = enc.EncodeAll([SimHarness.Load(MemoryType.Uop, 0, 0, 1, 1), SimHarness.Finish()]);
        var mem = InsnDecoder.ReadWord(bytes);
        InsnEncoder.WriteWord(bytes, h.Config.Layout.Mem["memory_type"].Write(mem, 6));
        AssertNamesIndex(Assert.Throws<VtaSimException>(() => h.Sim.Run(h.Put(bytes), 2)), 0, "memory type");

        var alu = enc.EncodeAll([SimHarness.Finish(), SimHarness.Alu(AluOpcode.Add, 0, 0), SimHarness.Finish()]);
        var word = InsnDecoder.ReadWord(alu.AsSpan(16));
        InsnEncoder.WriteWord(alu.AsSpan(16), h.Config.Layout.Alu["alu_opcode"].Write(word, 6));
        AssertNamesIndex(Assert.Throws<VtaSimException>(() => h.Sim.Run(h.Put(alu), 3)), 1, "ALU opcode");
    }

    [Fact]
    public void InstructionStreamOutsideDramIsAnError()
    {
        var h = new SimHarness();
        uint addr = h.Put(new byte[32]);
        Assert.Contains("DRAM", Assert.Throws<VtaSimException>(() => h.Sim.Run(addr + 4096, 1)).Message);
    }

    [Fact]
    public void LoadPastTheSramDepth()
    {
        var h = new SimHarness();
        int depth = h.Config.InpBuffDepth;
        var e = RunExpectingError(h, SimHarness.Load(MemoryType.Inp, depth - 4, 0, y: 2, x: 2, yPad1: 1, deps: DepFlags.PushNext), SimHarness.Finish(DepFlags.PopPrev));
        AssertNamesIndex(e, 0, $"depth {depth}");
        // Exactly filling the buffer is fine (the DRAM access then fails instead, naming the address).
        e = RunExpectingError(h, SimHarness.Nop(MemoryType.Uop, DepFlags.None), SimHarness.Load(MemoryType.Acc, h.Config.AccBuffDepth - 2, 0, y: 1, x: 2), SimHarness.Finish());
        AssertNamesIndex(e, 1, "0x00000000");
        Assert.DoesNotContain("depth", e.Message);
    }

    [Fact]
    public void StoreRangeTypeAndPads()
    {
        var h = new SimHarness();
        int depth = h.Config.OutBuffDepth;
        AssertNamesIndex(RunExpectingError(h, SimHarness.Store(depth - 1, 0, y: 1, x: 2), SimHarness.Finish()), 0, "depth");
        AssertNamesIndex(RunExpectingError(h, new MemInsn(Opcode.Store, DepFlags.None, MemoryType.Acc, 0, 0, 1, 1, 1), SimHarness.Finish()), 0, "only OUT");
        AssertNamesIndex(RunExpectingError(h, new MemInsn(Opcode.Store, DepFlags.None, MemoryType.Out, 0, 0, 1, 1, 1, XPad1: 1), SimHarness.Finish()), 0, "pad");
    }

    [Fact]
    public void LoadOfOutIsAnError()
    {
        var h = new SimHarness();
        AssertNamesIndex(RunExpectingError(h, SimHarness.Load(MemoryType.Out, 0, 0, 1, 1), SimHarness.Finish()), 0, "OUT");
    }

    [Fact]
    public void MulAndAcc8BitNeedTheSimTarget()
    {
        var h = new SimHarness();
        Assert.False(h.Config.HasAluMul);
        AssertNamesIndex(RunExpectingError(h, SimHarness.Alu(AluOpcode.Mul, 0, 0), SimHarness.Finish()), 0, "MUL");
        AssertNamesIndex(RunExpectingError(h, SimHarness.Load(MemoryType.Acc8Bit, 0, 0, 1, 1), SimHarness.Finish()), 0, "ACC_8BIT");
    }

    [Fact]
    public void UopRangeErrors()
    {
        var h = new SimHarness();
        AssertNamesIndex(RunExpectingError(h, SimHarness.Gemm(0, h.Config.UopBuffDepth + 1), SimHarness.Finish()), 0, "uop_end");
        AssertNamesIndex(RunExpectingError(h, SimHarness.Alu(AluOpcode.Add, 3, 2), SimHarness.Finish()), 0, "uop_bgn 3");
    }

    [Fact]
    public void GemmIndicesPastTheDepthsAfterLoopArithmetic()
    {
        var h = new SimHarness();
        int acc = h.Config.AccBuffDepth;
        h.Sim.Sram.Uops[0] = new Uop(acc - 3, 0, 0);
        // dst = acc−3 + i·1 + j·2: the first (i, j) out of range in execution order is i = 0, j = 2 → acc+1.
        var e = RunExpectingError(h, SimHarness.Nop(MemoryType.Uop, DepFlags.None), SimHarness.Gemm(0, 1, iterOut: 2, iterIn: 3, dstOut: 1, dstIn: 2), SimHarness.Finish());
        AssertNamesIndex(e, 1, $"ACC index {acc + 1}");
        Assert.Contains("i 0", e.Message);
        Assert.Contains("j 2", e.Message);

        h.Sim.Sram.Uops[0] = new Uop(0, h.Config.InpBuffDepth - 1, 0);
        AssertNamesIndex(RunExpectingError(h, SimHarness.Gemm(0, 1, iterIn: 2, srcIn: 1), SimHarness.Finish()), 0, "INP index");

        h.Sim.Sram.Uops[0] = new Uop(0, 0, h.Config.WgtBuffDepth - 1);
        AssertNamesIndex(RunExpectingError(h, SimHarness.Gemm(0, 1, iterOut: 2, wgtOut: 5), SimHarness.Finish()), 0, "WGT index");
        Assert.Equal(0, h.Sim.Counters.AluCounter);
    }

    [Fact]
    public void AluIndicesPastTheDepth()
    {
        var h = new SimHarness();
        int acc = h.Config.AccBuffDepth;
        h.Sim.Sram.Uops[0] = new Uop(0, acc - 1, 0);
        AssertNamesIndex(RunExpectingError(h, SimHarness.Alu(AluOpcode.Add, 0, 1, iterIn: 2, srcIn: 1), SimHarness.Finish()), 0, "src_idx");
        // With an immediate the source is never read, so the same uop is fine.
        h.Sim.Run([SimHarness.Alu(AluOpcode.Add, 0, 1, useImm: true, imm: 1, iterIn: 2, srcIn: 1), SimHarness.Finish()]);
        h.Sim.Sram.Uops[0] = new Uop(acc, 0, 0);
        AssertNamesIndex(RunExpectingError(h, SimHarness.Alu(AluOpcode.Max, 0, 1, useImm: true), SimHarness.Finish()), 0, "dst_idx");
    }

    [Fact]
    public void DramReadOutsideAnAllocationNamesTheAddress()
    {
        var h = new SimHarness();
        uint addr = h.Put(new sbyte[4096]); // one page = 256 INP elements
        uint elem = h.Elem(addr, MemoryType.Inp);
        var e = RunExpectingError(h,
            SimHarness.Nop(MemoryType.Uop, DepFlags.None),
            SimHarness.Load(MemoryType.Inp, 0, elem + 250, y: 2, x: 4, stride: 4, deps: DepFlags.PushNext),
            SimHarness.Finish(DepFlags.PopPrev));
        // Row 0 (elements 250..253) is inside; row 1 starts at element 254 and runs past the page.
        AssertNamesIndex(e, 1, $"0x{addr + (254 * 16):X8}");
        Assert.IsType<DramException>(e.InnerException);

        e = RunExpectingError(h, SimHarness.Store(0, elem + 300, 1, 1), SimHarness.Finish());
        AssertNamesIndex(e, 0, $"0x{addr + (300 * 16):X8}");
    }

    [Fact]
    public void NothingRunsWhenAnyInstructionIsInvalid()
    {
        var h = new SimHarness();
        h.Sim.Sram.Acc[0] = 5;
        RunExpectingError(h, SimHarness.Alu(AluOpcode.Add, 0, 1, useImm: true, imm: 1), SimHarness.Load(MemoryType.Out, 0, 0, 1, 1), SimHarness.Finish());
        Assert.Equal(5, h.Sim.Sram.Acc[0]);
        Assert.Equal(0, h.Sim.Counters.AluCounter);
    }

    [Fact]
    public void NopsIgnoreMemoryTypeAndPads()
    {
        // x_size 0 returns before any check in TVM, and its runtime emits such NOPs.
        var h = new SimHarness(VtaConfig.Default);
        h.Sim.Run([
            new MemInsn(Opcode.Store, DepFlags.None, MemoryType.Uop, 0, 0, 0, 0, 0, 1, 1, 1, 1),
            new MemInsn(Opcode.Load, DepFlags.None, MemoryType.Out, 60000, 0, 7, 0, 0, 3),
            SimHarness.Finish(),
        ]);
        Assert.Equal(0, h.Sim.Counters.OutStoreNbytes);
    }
}
