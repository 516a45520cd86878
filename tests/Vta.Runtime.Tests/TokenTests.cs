using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Runtime.Tests;

/// <summary>Dependency-token bookkeeping of the command queue (TVM's InsnQueue rules), checked flag by flag.</summary>
public class TokenTests
{
    private static (SimDevice Device, CommandQueue Queue, DeviceBuffer Buf) Setup(CommandQueueOptions? options = null)
    {
        var device = new SimDevice(VtaConfig.Default);
        var queue = new CommandQueue(device, options);
        return (device, queue, device.Allocate(64 * 1024));
    }

    [Fact]
    public void PushGoesOnTheLastInstructionOfItsStage()
    {
        var (_, q, buf) = Setup();
        q.LoadBuffer2D(buf, 0, 4, 1, 4, 0, 0, 0, 0, 0, MemoryType.Inp);
        q.DepPush(Stage.Load, Stage.Compute);

        Assert.Single(q.Pending);
        Assert.Equal(DepFlags.PushNext, q.Pending[0].Deps);
    }

    [Fact]
    public void PushAfterAnotherStageNeedsANoop()
    {
        var (_, q, buf) = Setup();
        q.LoadBuffer2D(buf, 0, 4, 1, 4, 0, 0, 0, 0, 0, MemoryType.Acc);
        q.DepPush(Stage.Load, Stage.Compute);

        Assert.Equal(2, q.Pending.Count);
        var noop = Assert.IsType<MemInsn>(q.Pending[1]);
        Assert.Equal((Opcode.Load, MemoryType.Inp, 0, DepFlags.PushNext), (noop.Op, noop.MemoryType, noop.XSize, noop.Deps));
    }

    [Fact]
    public void SecondPushOfTheSameKindNeedsANoop()
    {
        var (_, q, buf) = Setup();
        q.LoadBuffer2D(buf, 0, 4, 1, 4, 0, 0, 0, 0, 0, MemoryType.Inp);
        q.DepPush(Stage.Load, Stage.Compute);
        q.DepPush(Stage.Load, Stage.Compute);

        Assert.Equal(2, q.Pending.Count);
        Assert.Equal(DepFlags.PushNext, q.Pending[1].Deps);
        Assert.True(((MemInsn)q.Pending[1]).IsNop);
    }

    [Fact]
    public void PopsWaitForTheNextInstructionOfTheirStage()
    {
        var (_, q, buf) = Setup();
        q.DepPop(Stage.Load, Stage.Compute);
        q.DepPop(Stage.Store, Stage.Compute);
        q.LoadBuffer2D(buf, 0, 4, 1, 4, 0, 0, 0, 0, 0, MemoryType.Inp); // load stage: keeps compute's pops pending
        q.LoadBuffer2D(buf, 0, 4, 1, 4, 0, 0, 0, 0, 0, MemoryType.Acc); // compute stage: takes both

        Assert.Equal(DepFlags.None, q.Pending[0].Deps);
        Assert.Equal(DepFlags.PopPrev | DepFlags.PopNext, q.Pending[1].Deps);
    }

    [Fact]
    public void RepeatedPopOfTheSameKindCommitsTheFirstAsANoop()
    {
        var (_, q, _) = Setup();
        q.DepPop(Stage.Compute, Stage.Load);
        q.DepPop(Stage.Compute, Stage.Load);

        var noop = Assert.IsType<MemInsn>(Assert.Single(q.Pending));
        Assert.Equal((MemoryType.Inp, DepFlags.PopNext), (noop.MemoryType, noop.Deps));
    }

    [Theory]
    [InlineData(Stage.Load, Stage.Store)]
    [InlineData(Stage.Store, Stage.Load)]
    [InlineData(Stage.Compute, Stage.Compute)]
    public void TokensBetweenNonAdjacentStagesAreRefused(Stage from, Stage to)
    {
        var (_, q, _) = Setup();
        Assert.Throws<VtaRuntimeException>(() => q.DepPush(from, to));
        Assert.Throws<VtaRuntimeException>(() => q.DepPop(from, to));
        Assert.Empty(q.Pending);
    }

    [Fact]
    public void SynchronizeClosesWithTokensAndOneFinish()
    {
        var (_, q, buf) = Setup();
        var listings = new List<StreamListing>();
        q = new CommandQueue(q.Device, new CommandQueueOptions { Dump = listings.Add });
        q.LoadBuffer2D(buf, 0, 4, 1, 4, 0, 0, 0, 0, 0, MemoryType.Inp);
        q.StoreBuffer2D(0, MemoryType.Out, buf, 100, 1, 1, 1);

        Assert.NotNull(q.Synchronize());

        var insns = Assert.Single(listings).Instructions;
        // TVM's rule looks only at the very last instruction: the store takes push s2g, the load's push needs a no-op.
        // load, store(push s2g), load-noop(push l2g), compute-noop(pop l2g + s2g), FINISH
        Assert.Equal(5, insns.Count);
        Assert.Equal(DepFlags.None, insns[0].Deps);
        Assert.Equal(DepFlags.PushPrev, insns[1].Deps);
        Assert.Equal((Stage.Load, DepFlags.PushNext), (Stages.Of(insns[2]), insns[2].Deps));
        Assert.Equal((Stage.Compute, DepFlags.PopPrev | DepFlags.PopNext), (Stages.Of(insns[3]), insns[3].Deps));
        Assert.Equal(new FinishInsn(DepFlags.None), insns[4]);
        Assert.Empty(q.Pending);
        Assert.Equal(1, q.Runs);
    }

    [Fact]
    public void UnpoppedTokensAreDrainedBeforeFinish()
    {
        var (device, q, buf) = Setup();
        q.LoadBuffer2D(buf, 0, 4, 1, 4, 0, 0, 0, 0, 0, MemoryType.Inp);
        q.DepPush(Stage.Load, Stage.Compute);
        q.DepPush(Stage.Load, Stage.Compute);

        q.Synchronize(); // the simulator refuses leftover tokens, so this passing shows the drain

        Assert.Equal(64, device.ReadCounters().InpLoadNbytes);
    }

    [Fact]
    public void MorePopsThanPushesIsRefusedBeforeRunning()
    {
        var (_, q, _) = Setup();
        q.DepPop(Stage.Load, Stage.Compute);
        var e = Assert.Throws<VtaRuntimeException>(() => q.Synchronize());
        Assert.Contains("L2G", e.Message);
    }
}
