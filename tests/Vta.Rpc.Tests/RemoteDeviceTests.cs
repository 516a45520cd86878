using Vta.Hardware.Config;
using Vta.Rpc.Client;
using Vta.Runtime;
using Vta.Runtime.Demos;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Tests;

/// <summary>The runtime's demos on a board over RPC give what they give on the local simulator.</summary>
public sealed class RemoteDeviceTests
{
    [Fact]
    public async Task Matmul_and_conv2d_on_a_remote_board_equal_the_local_simulator()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        foreach (var demo in new Func<IVtaDevice, int, Runtime.Commands.CommandQueueOptions?, DemoResult>[] { MatmulDemo.Run, Conv2dDemo.Run })
        {
            DemoResult local;
            using (var sim = new SimDevice(VtaConfig.Default))
            {
                local = demo(sim, 3, null);
            }

            using var remote = RemoteDevice.Connect(agent.Uri, VtaConfig.Default);
            var r = demo(remote, 3, null);
            Assert.True(local.Passed);
            Assert.True(r.Passed, $"{r.Name} over RPC: {r.Mismatches} mismatches");
            Assert.Equal(local.Counters.ToList(), r.Counters.ToList());
            Assert.Equal(local.Name, r.Name);
        }
    }

    [Fact]
    public async Task Copies_round_trip_in_pieces_and_slices_address_inside_their_allocation()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        using var remote = RemoteDevice.Connect(agent.Uri, VtaConfig.Default, new RemoteDeviceOptions { CopyChunkBytes = 4096 });
        var data = new byte[50_000];
        new Random(1).NextBytes(data);
        var buffer = remote.Allocate(data.Length);
        remote.CopyIn(buffer, 0, data);
        var back = new byte[data.Length];
        remote.CopyOut(buffer, 0, back);
        Assert.Equal(data, back);

        var slice = buffer.Slice(10_000, 100);
        var part = new byte[100];
        remote.CopyOut(slice, 0, part);
        Assert.Equal(data.AsSpan(10_000, 100).ToArray(), part);
        Assert.Throws<VtaRuntimeException>(() => remote.CopyOut(slice, 1, part));

        remote.Free(buffer);
        Assert.Throws<VtaRuntimeException>(() => remote.CopyOut(buffer, 0, part));
        Assert.Equal(0, agent.Board.DramBytes);
    }

    [Fact]
    public async Task A_client_that_disconnects_leaves_nothing_allocated_and_the_next_one_gets_the_board()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        using (var first = RemoteDevice.Connect(agent.Uri))
        {
            first.Allocate(1 << 20);
            Assert.Equal(1 << 20, agent.Board.DramBytes);
        }

        Assert.Equal(0, agent.Board.DramBytes);
        using var second = RemoteDevice.Connect(agent.Uri);
        Assert.Equal(VtaConfig.Default, second.Config);
        Assert.Equal("sim", second.Info().Backend);
    }

    [Fact]
    public async Task Waiting_too_long_for_a_held_board_or_reaching_no_agent_is_a_clear_error()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        using (var holder = RemoteDevice.Connect(agent.Uri))
        {
            var e = Assert.Throws<VtaRuntimeException>(() => RemoteDevice.Connect(agent.Uri, null, new RemoteDeviceOptions { QueueTimeout = TimeSpan.FromMilliseconds(200) }));
            Assert.Contains("still held by another client after 0.2 s", e.Message, StringComparison.Ordinal);
            await TestAgents.WaitUntil(() => agent.Board.Waiting == 0, "the impatient client to leave the queue");
        }

        int port = agent.Port;
        await agent.StopAsync();
        var gone = Assert.Throws<VtaRuntimeException>(() => RemoteDevice.Connect($"rpc://127.0.0.1:{port}"));
        Assert.Contains("cannot reach the board agent", gone.Message, StringComparison.Ordinal);
    }
}
