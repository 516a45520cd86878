using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

public class PipelineTests
{
    [Fact]
    public void RoutingFollowsTvm()
    {
        Assert.Equal(PipelineModule.Load, PipelineRouting.ModuleOf(SimHarness.Load(MemoryType.Inp, 0, 0, 1, 1)));
        Assert.Equal(PipelineModule.Load, PipelineRouting.ModuleOf(SimHarness.Load(MemoryType.Wgt, 0, 0, 1, 1)));
        Assert.Equal(PipelineModule.Compute, PipelineRouting.ModuleOf(SimHarness.Load(MemoryType.Acc, 0, 0, 1, 1)));
        Assert.Equal(PipelineModule.Compute, PipelineRouting.ModuleOf(SimHarness.Load(MemoryType.Uop, 0, 0, 1, 1)));
        Assert.Equal(PipelineModule.Compute, PipelineRouting.ModuleOf(SimHarness.Load(MemoryType.Acc8Bit, 0, 0, 1, 1)));
        Assert.Equal(PipelineModule.Compute, PipelineRouting.ModuleOf(SimHarness.Gemm(0, 0)));
        Assert.Equal(PipelineModule.Compute, PipelineRouting.ModuleOf(SimHarness.Alu(AluOpcode.Add, 0, 0)));
        Assert.Equal(PipelineModule.Compute, PipelineRouting.ModuleOf(SimHarness.Finish()));
        Assert.Equal(PipelineModule.Store, PipelineRouting.ModuleOf(SimHarness.Store(0, 0, 1, 1)));
        Assert.Equal(TokenQueue.G2L, PipelineRouting.PopNextQueue(PipelineModule.Load));
        Assert.Equal(TokenQueue.L2G, PipelineRouting.PushNextQueue(PipelineModule.Load));
        Assert.Equal(TokenQueue.L2G, PipelineRouting.PopPrevQueue(PipelineModule.Compute));
        Assert.Equal(TokenQueue.S2G, PipelineRouting.PopNextQueue(PipelineModule.Compute));
        Assert.Equal(TokenQueue.G2L, PipelineRouting.PushPrevQueue(PipelineModule.Compute));
        Assert.Equal(TokenQueue.G2S, PipelineRouting.PushNextQueue(PipelineModule.Compute));
        Assert.Equal(TokenQueue.G2S, PipelineRouting.PopPrevQueue(PipelineModule.Store));
        Assert.Equal(TokenQueue.S2G, PipelineRouting.PushPrevQueue(PipelineModule.Store));
    }

    /// <summary>
    /// The load module overwrites INP[0] after the first GEMM. With tokens the first GEMM sees the first tile; without
    /// them the load module runs ahead and both GEMMs see the second tile, so the test shows the tokens matter.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TokensOrderLoadsAgainstCompute(bool synchronized)
    {
        var h = new SimHarness();
        var first = new sbyte[16];
        first[0] = 1;
        var second = new sbyte[16];
        second[0] = 2;
        uint a = h.Put(first);
        uint b = h.Put(second);
        var sram = h.Sim.Sram;
        for (int o = 0; o < 16; o++)
        {
            sram.Wgt[o * 16] = 1; // dot[o] = INP[0][0]
        }

        sram.Uops[0] = new Uop(0, 0, 0);
        sram.Uops[1] = new Uop(1, 0, 0);
        DepFlags F(DepFlags f) => synchronized ? f : DepFlags.None;
        h.Sim.Run([
            SimHarness.Load(MemoryType.Inp, 0, h.Elem(a, MemoryType.Inp), 1, 1, deps: F(DepFlags.PushNext)),
            SimHarness.Gemm(0, 1, deps: F(DepFlags.PopPrev | DepFlags.PushPrev)),
            SimHarness.Load(MemoryType.Inp, 0, h.Elem(b, MemoryType.Inp), 1, 1, deps: F(DepFlags.PopNext | DepFlags.PushNext)),
            SimHarness.Gemm(1, 2, deps: F(DepFlags.PopPrev)),
            SimHarness.Finish(),
        ]);
        Assert.Equal(synchronized ? 1 : 2, sram.Acc[0]);
        Assert.Equal(2, sram.Acc[16]);
    }

    [Fact]
    public void MissingPushIsADeadlockNamingEachBlockedInstruction()
    {
        var h = new SimHarness();
        var e = Assert.Throws<VtaSimException>(() => h.Sim.Run([
            SimHarness.Load(MemoryType.Uop, 0, 0, 0, 0),                       // 0: compute NOP
            SimHarness.Nop(MemoryType.Inp, DepFlags.PopNext | DepFlags.PushNext), // 1: load waits for g2l, never pushed
            SimHarness.Finish(DepFlags.PopPrev),                                // 2: compute waits for l2g
        ]));
        Assert.Contains("deadlock", e.Message);
        Assert.Equal(2, e.BlockedModules.Count);
        Assert.Contains("instruction 1", e.BlockedModules[0]);
        Assert.Contains("g2l", e.BlockedModules[0]);
        Assert.StartsWith("load", e.BlockedModules[0]);
        Assert.Contains("instruction 2", e.BlockedModules[1]);
        Assert.Contains("l2g", e.BlockedModules[1]);
        Assert.Contains("instruction 1", e.Message);
        Assert.Equal(1, e.InstructionIndex);
    }

    [Fact]
    public void LeftoverTokensAreAnError()
    {
        var h = new SimHarness();
        var e = Assert.Throws<VtaSimException>(() => h.Sim.Run([
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Uop, DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Uop, DepFlags.PushNext),
            SimHarness.Finish(),
        ]));
        Assert.Contains("l2g holds 1", e.Message);
        Assert.Contains("g2s holds 2", e.Message);
        Assert.Contains("instruction 2", e.Message); // the last push into g2s
        Assert.DoesNotContain("g2l", e.Message);
    }

    [Fact]
    public void FullQueueBlocksThePusherUntilPopped()
    {
        var h = new SimHarness();
        h.Sim.DependencyQueueDepth = 1;
        h.Sim.Run([
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Uop, DepFlags.PopPrev),
            SimHarness.Nop(MemoryType.Uop, DepFlags.PopPrev),
            SimHarness.Finish(DepFlags.PopPrev),
        ]);
    }

    [Fact]
    public void FullQueueDeadlockSaysQueueFull()
    {
        var h = new SimHarness();
        h.Sim.DependencyQueueDepth = 1;
        var e = Assert.Throws<VtaSimException>(() => h.Sim.Run([
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext),
            SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext), // 1: l2g already holds one token
            SimHarness.Finish(DepFlags.PopNext),                  // 2: waits for s2g; the store module has nothing
        ]));
        Assert.Equal(2, e.BlockedModules.Count);
        Assert.Contains("instruction 1", e.BlockedModules[0]);
        Assert.Contains("queue full", e.BlockedModules[0]);
        Assert.Contains("l2g", e.BlockedModules[0]);
        Assert.Contains("instruction 2", e.BlockedModules[1]);
        Assert.Contains("s2g", e.BlockedModules[1]);
    }

    [Fact]
    public void TokenQueuesStartEmptyOnEveryRun()
    {
        var h = new SimHarness();
        Instruction[] leaky = [SimHarness.Nop(MemoryType.Inp, DepFlags.PushNext), SimHarness.Finish()];
        Assert.Throws<VtaSimException>(() => h.Sim.Run(leaky));
        // A token left by the failed run must not satisfy this pop.
        var e = Assert.Throws<VtaSimException>(() => h.Sim.Run([SimHarness.Finish(DepFlags.PopPrev)]));
        Assert.Contains("deadlock", e.Message);
    }

    [Fact]
    public void FlagsWithoutAQueueAreRejected()
    {
        var h = new SimHarness();
        var e = Assert.Throws<VtaSimException>(() => h.Sim.Run([SimHarness.Nop(MemoryType.Inp, DepFlags.PopPrev), SimHarness.Finish()]));
        Assert.Equal(0, e.InstructionIndex);
        Assert.Contains("load module", e.Message);
        e = Assert.Throws<VtaSimException>(() => h.Sim.Run([SimHarness.Nop(MemoryType.Out, DepFlags.PushNext, Opcode.Store), SimHarness.Finish()]));
        Assert.Contains("store module", e.Message);
    }

    [Fact]
    public void StreamMustEndWithExactlyOneFinish()
    {
        var h = new SimHarness();
        var e = Assert.Throws<VtaSimException>(() => h.Sim.Run([SimHarness.Finish(), SimHarness.Nop(MemoryType.Uop, DepFlags.None)]));
        Assert.Equal(0, e.InstructionIndex);
        e = Assert.Throws<VtaSimException>(() => h.Sim.Run([SimHarness.Nop(MemoryType.Uop, DepFlags.None), SimHarness.Finish(), SimHarness.Finish()]));
        Assert.Equal(1, e.InstructionIndex);
        Assert.StartsWith("instruction 1: ", e.Message);
        e = Assert.Throws<VtaSimException>(() => h.Sim.Run([SimHarness.Nop(MemoryType.Uop, DepFlags.None), SimHarness.Gemm(0, 0)]));
        Assert.Equal(1, e.InstructionIndex);
        Assert.Contains("not FINISH", e.Message);
        Assert.Throws<VtaSimException>(() => h.Sim.Run(Array.Empty<Instruction>()));
    }
}
