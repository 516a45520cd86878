using Vta.Hardware.Config;
using Vta.Rpc.Backends.Pynq;
using Vta.Rpc.Client;
using Vta.Runtime;
using Vta.Runtime.Demos;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Tests;

/// <summary>The real-board backend against a fake Zynq: the exact register protocol, timeouts, counters, and the agent around it.</summary>
public sealed class PynqBackendTests
{
    [Fact]
    public void A_run_writes_TVMs_registers_in_order_and_polls_compute_for_DONE()
    {
        var zynq = new FakeZynq(VtaConfig.Default) { PollsBeforeDone = 4 };
        using var device = new PynqDevice(VtaConfig.Default, zynq, zynq.Registers(VtaConfig.Default.TargetInfo));
        var insns = TestPrograms.Store(device, TestPrograms.FinishOnly());
        int before = zynq.Log.Count;
        device.Run(insns, 1);

        var log = zynq.Log.Skip(before).ToList();
        var writes = log.Where(e => e.Op == 'w').Select(e => (e.Module, e.Offset, e.Value)).ToList();
        Assert.Equal(
        [
            ("fetch", 0x10, 1u), ("fetch", 0x18, insns.PhysAddr),
            ("load", 0x10, 0u), ("load", 0x18, 0u), ("compute", 0x20, 0u), ("compute", 0x28, 0u), ("store", 0x10, 0u),
            ("fetch", 0x00, 0x1u), ("load", 0x00, 0x81u), ("compute", 0x00, 0x81u), ("store", 0x00, 0x81u),
        ], writes);

        // Reads come after the last start write, all of compute 0x18, until it reads 1.
        var reads = log.SkipWhile(e => e.Op == 'w').ToList();
        Assert.All(reads, r => Assert.Equal(('r', "compute", 0x18), (r.Op, r.Module, r.Offset)));
        Assert.Equal([0u, 0u, 0u, 0u, 1u], reads.Select(r => r.Value));
    }

    [Fact]
    public void A_device_that_never_reports_DONE_times_out_with_a_clear_error()
    {
        var zynq = new FakeZynq(VtaConfig.Default) { NeverDone = true };
        using var device = new PynqDevice(VtaConfig.Default, zynq, zynq.Registers(VtaConfig.Default.TargetInfo)) { DoneTimeout = TimeSpan.FromMilliseconds(100) };
        var insns = TestPrograms.Store(device, TestPrograms.FinishOnly());
        var e = Assert.Throws<VtaRuntimeException>(() => device.Run(insns, 1));
        Assert.Contains("never read DONE", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, device.ReadCounters().AluCounter + device.ReadCounters().OutStoreNbytes);
    }

    [Fact]
    public void The_matmul_demo_on_the_pynq_device_gives_the_simulators_outputs_and_counters()
    {
        var zynq = new FakeZynq(VtaConfig.Default);
        using var device = new PynqDevice(VtaConfig.Default, zynq, zynq.Registers(VtaConfig.Default.TargetInfo));
        var onBoard = MatmulDemo.Run(device, 4);
        using var sim = new SimDevice(VtaConfig.Default);
        var local = MatmulDemo.Run(sim, 4);
        Assert.True(onBoard.Passed);
        Assert.Equal(local.Counters.ToList(), onBoard.Counters.ToList());
        Assert.NotEqual(0, onBoard.Counters.GemmCounter);
    }

    [Fact]
    public async Task Through_the_agent_a_hung_board_is_stopped_by_the_run_time_limit()
    {
        using var dir = new TempDir();
        var zynq = new FakeZynq(VtaConfig.Default) { NeverDone = true, Execute = false };
        var backend = new PynqBackend(new FpgaManager(dir.File("fpga0"), dir.File("firmware")), zynq.Registers, zynq);
        await using var agent = await TestAgents.StartSim(dir, o => o with { RunTimeLimit = TimeSpan.FromMilliseconds(200), WorkDirectory = dir.File("work") }, backend);
        using var remote = RemoteDevice.Connect(agent.Uri, VtaConfig.Default);
        Assert.Equal("pynq", remote.Info().Backend);
        var insns = TestPrograms.Store(remote, TestPrograms.FinishOnly());
        var e = Assert.Throws<VtaRuntimeException>(() => remote.Run(insns, 1));
        Assert.Contains("ran longer than the agent's limit of 0.2 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pynq_backend_refuses_configurations_of_other_targets()
    {
        using var dir = new TempDir();
        var zynq = new FakeZynq(VtaConfig.Default);
        var backend = new PynqBackend(new FpgaManager(dir.File("fpga0"), dir.File("firmware")), zynq.Registers, zynq);
        await using var agent = await TestAgents.StartSim(dir, o => o with { WorkDirectory = dir.File("work") }, backend);
        using var remote = RemoteDevice.Connect(agent.Uri);
        var e = Assert.Throws<VtaRuntimeException>(() => remote.Reconfigure(VtaConfig.Create(target: "de10nano")));
        Assert.Contains("target 'de10nano'", e.Message, StringComparison.Ordinal);
    }
}
