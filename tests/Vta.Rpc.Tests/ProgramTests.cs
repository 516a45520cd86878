using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Rpc.Backends;
using Vta.Rpc.Backends.Pynq;
using Vta.Rpc.Client;
using Vta.Runtime;
using Vta.Runtime.Demos;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Tests;

/// <summary>TVM's program_fpga and reconfig_runtime against agents.</summary>
public sealed class ProgramTests
{
    private static readonly VtaConfig s_small = VtaConfig.Create(logAccBuffSize: 16);

    [Fact]
    public async Task Programming_a_simulator_bitstream_gives_the_board_its_configuration_and_reconfigure_changes_it_back()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        using (var admin = RemoteDevice.Connect(agent.Uri))
        {
            byte[] bits = SimBitstream.Create(s_small);
            var reply = admin.ProgramBitstream("small.bit", bits);
            Assert.Equal(s_small.Model, reply.Config.Model);
            Assert.Equal(BitstreamImage.HashHex(bits), reply.Sha256);
            Assert.Equal(bits, File.ReadAllBytes(Path.Combine(dir.Path, "small.bit")));
            Assert.Equal("small.bit", admin.Info().BitstreamName);
        }

        using (var client = RemoteDevice.Connect(agent.Uri, s_small))
        {
            Assert.True(MatmulDemo.Run(client, 1).Passed);
        }

        using (var stale = RemoteDevice.Connect(agent.Uri, VtaConfig.Default))
        {
            var insns = TestPrograms.Store(stale, TestPrograms.FinishOnly());
            Assert.Contains(s_small.Model, Assert.Throws<VtaRuntimeException>(() => stale.Run(insns, 1)).Message, StringComparison.Ordinal);
            Assert.Equal(VtaConfig.Default.Model, stale.Reconfigure(VtaConfig.Default).Model);
            Assert.True(MatmulDemo.Run(stale, 1).Passed);
        }
    }

    [Fact]
    public async Task Bad_bitstreams_are_refused_and_leave_the_board_as_it_was()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        using var admin = RemoteDevice.Connect(agent.Uri);
        var mismatch = Assert.Throws<VtaRuntimeException>(() => admin.ProgramBitstream("a.bit", SimBitstream.Create(s_small), VtaConfig.Default));
        Assert.Contains(s_small.Model, mismatch.Message, StringComparison.Ordinal);
        Assert.Contains(VtaConfig.Default.Model, mismatch.Message, StringComparison.Ordinal);

        var xilinx = XilinxBits.Build("vta", "7z020clg484", "2020/01/01", "00:00:00", XilinxBits.Data(8));
        Assert.Contains("programs VTA simulator bitstreams", Assert.Throws<VtaRuntimeException>(() => admin.ProgramBitstream("x.bit", xilinx, VtaConfig.Default)).Message, StringComparison.Ordinal);
        Assert.Contains("carries no VTA configuration", Assert.Throws<VtaRuntimeException>(() => admin.ProgramBitstream("x.bit", xilinx)).Message, StringComparison.Ordinal);
        Assert.Contains("not a bitstream", Assert.Throws<VtaRuntimeException>(() => admin.ProgramBitstream("junk.bit", [1, 2, 3])).Message, StringComparison.Ordinal);
        Assert.Equal(VtaConfig.Default.Model, admin.Info().Config.Model);
        Assert.True(MatmulDemo.Run(admin, 1).Passed);
    }

    [Fact]
    public async Task The_pynq_backend_programs_through_the_FPGA_manager()
    {
        using var dir = new TempDir();
        string fpga = dir.File("fpga0");
        Directory.CreateDirectory(fpga);
        File.WriteAllText(Path.Combine(fpga, "firmware"), "");
        File.WriteAllText(Path.Combine(fpga, "state"), "operating\n");
        var zynq = new FakeZynq(VtaConfig.Default);
        var backend = new PynqBackend(new FpgaManager(fpga, dir.File("firmware")), zynq.Registers, zynq);
        await using var agent = await TestAgents.StartSim(dir, o => o with { WorkDirectory = dir.File("work") }, backend);
        using var admin = RemoteDevice.Connect(agent.Uri);

        Assert.Contains("programs Xilinx bitstreams", Assert.Throws<VtaRuntimeException>(() => admin.ProgramBitstream("c.bit", SimBitstream.Create(VtaConfig.Default))).Message, StringComparison.Ordinal);

        byte[] data = XilinxBits.Data(8);
        var reply = admin.ProgramBitstream("vta_pynq.bit", XilinxBits.Build("vta", "7z020clg484", "2020/01/01", "00:00:00", data), VtaConfig.Default);
        Assert.Equal("xilinx", reply.Kind);
        Assert.Equal("vta_pynq.bin", File.ReadAllText(Path.Combine(fpga, "firmware")));
        Assert.Equal("0", File.ReadAllText(Path.Combine(fpga, "flags")));
        byte[] bin = File.ReadAllBytes(Path.Combine(dir.File("firmware"), "vta_pynq.bin"));
        Assert.Equal(data.Length, bin.Length);
        Assert.Equal(new byte[] { 0x66, 0x55, 0x99, 0xaa }, bin[8..12]);

        // A runtime for another shape than the programmed bitstream is refused; the same one is fine.
        Assert.Contains("program a bitstream for it first", Assert.Throws<VtaRuntimeException>(() => admin.Reconfigure(s_small)).Message, StringComparison.Ordinal);
        Assert.Equal(VtaConfig.Default.Model, admin.Reconfigure(VtaConfig.Default).Model);
        Assert.True(MatmulDemo.Run(admin, 2).Passed);
    }

    [Fact]
    public async Task The_timing_backend_runs_the_demo_with_the_simulators_results_and_reports_cycles()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir, backend: SimBackend.Timing());
        using var remote = RemoteDevice.Connect(agent.Uri);
        Assert.Equal("timing", remote.Info().Backend);
        var r = MatmulDemo.Run(remote, 5);
        using var sim = new SimDevice(VtaConfig.Default);
        var local = MatmulDemo.Run(sim, 5);
        Assert.True(r.Passed);
        Assert.Equal(local.Counters.ToList(), r.Counters.ToList());

        var insns = TestPrograms.Store(remote, TestPrograms.FinishOnly());
        Assert.NotNull(remote.Run(insns, 1).Cycles);
    }
}
