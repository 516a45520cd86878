using System.Diagnostics;
using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Rpc.Agent;
using Vta.Rpc.Client;
using Vta.Runtime;
using Vta.Runtime.Demos;

namespace Vta.Rpc.Tests;

/// <summary>Each of the agent's safety rules, through a real client.</summary>
public sealed class SafetyTests
{
    private static readonly VtaConfig s_other = VtaConfig.Create(logAccBuffSize: 16);

    [Fact]
    public async Task A_run_for_another_configuration_is_refused_with_both_names()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        using var remote = RemoteDevice.Connect(agent.Uri, s_other);
        var insns = TestPrograms.Store(remote, TestPrograms.FinishOnly());
        var e = Assert.Throws<VtaRuntimeException>(() => remote.Run(insns, 1));
        Assert.Contains(VtaConfig.Default.Model, e.Message, StringComparison.Ordinal);
        Assert.Contains(s_other.Model, e.Message, StringComparison.Ordinal);
        Assert.Contains("refused", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(agent.Board.Journal.Snapshot(), ev => ev.What == "run-start");
    }

    [Fact]
    public async Task Uploads_and_copies_over_the_limits_are_refused()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir, o => o with { MaxBitstreamBytes = 1024, MaxDramBytes = 1 << 20, MaxCopyBytes = 8192 });
        using var remote = RemoteDevice.Connect(agent.Uri);
        var bitstream = new byte[2048];
        var e = Assert.Throws<VtaRuntimeException>(() => remote.ProgramBitstream("big.bit", bitstream));
        Assert.Contains("over the agent's limit of 1024 bytes", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("big.bit")));

        var dram = Assert.Throws<VtaRuntimeException>(() => remote.Allocate(2 << 20));
        Assert.Contains("over the agent's limit", dram.Message, StringComparison.Ordinal);

        // The client splits copies to the agent's per-call limit; a raw oversize call is refused.
        var buffer = remote.Allocate(100_000);
        var data = new byte[100_000];
        new Random(5).NextBytes(data);
        remote.CopyIn(buffer, 0, data);
        var back = new byte[data.Length];
        remote.CopyOut(buffer, 0, back);
        Assert.Equal(data, back);
        var raw = await Assert.ThrowsAsync<RpcFault>(() => agent.Board.CopyInAsync(agent.Board.Journal.Snapshot().Last(ev => ev.What == "opened").Session, buffer.PhysAddr, new byte[8193]));
        Assert.Contains("over the agent's limit of 8192 bytes per call", raw.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil.bit")]
    [InlineData("..")]
    [InlineData("/tmp/evil.bit")]
    [InlineData("sub/evil.bit")]
    [InlineData("sub\\evil.bit")]
    [InlineData(".hidden.bit")]
    [InlineData("evil\0.bit")]
    [InlineData("")]
    public async Task No_uploaded_name_leaves_the_work_directory(string name)
    {
        using var dir = new TempDir();
        string work = Path.Combine(dir.Path, "work");
        await using var agent = await TestAgents.StartSim(dir, o => o with { WorkDirectory = work });
        using var remote = RemoteDevice.Connect(agent.Uri);
        var e = Assert.Throws<VtaRuntimeException>(() => remote.ProgramBitstream(name, SimBitstream.Create(VtaConfig.Default)));
        Assert.Contains("refused file name", e.Message, StringComparison.Ordinal);
        Assert.Equal(["work"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(work));
    }

    [Fact]
    public void Safe_names_resolve_inside_the_directory()
    {
        using var dir = new TempDir();
        Assert.Equal(Path.Combine(dir.Path, "pynq_1x16.bit"), SafeName.Resolve(dir.Path, "pynq_1x16.bit"));
        Assert.Throws<RpcFault>(() => SafeName.Resolve(dir.Path, new string('a', SafeName.MaxLength + 1)));
    }

    [Fact]
    public async Task A_key_mismatch_is_refused()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir, o => o with { Key = "pynq" });
        var none = Assert.Throws<VtaRuntimeException>(() => RemoteDevice.Connect(agent.Uri));
        Assert.Contains("needs a key", none.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<VtaRuntimeException>(() => RemoteDevice.Connect(agent.Uri, null, new RemoteDeviceOptions { Key = "ultra96" }));
        Assert.Contains("key mismatch", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(agent.Board.Journal.Snapshot(), ev => ev.What == "opened");

        using var right = RemoteDevice.Connect($"rpc://pynq@127.0.0.1:{agent.Port}");
        Assert.Equal("sim", right.Info().Backend);
    }

    [Fact]
    public async Task A_run_over_the_time_limit_is_stopped_and_reported_and_the_board_goes_on()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir, o => o with { RunTimeLimit = TimeSpan.FromMilliseconds(300) });
        using var remote = RemoteDevice.Connect(agent.Uri);
        var program = TestPrograms.Long();
        var insns = TestPrograms.Store(remote, program);
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<VtaRuntimeException>(() => remote.Run(insns, program.Length));
        Assert.Contains("ran longer than the agent's limit of 0.3 s", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the stop took {clock.Elapsed}");
        Assert.DoesNotContain(agent.Board.Journal.Snapshot(), ev => ev.What == "reset");

        // Same board, same session, buffers intact: a normal program runs.
        var finish = TestPrograms.Store(remote, TestPrograms.FinishOnly());
        Assert.Equal(1, remote.Run(finish, 1).Instructions);
    }

    [Fact]
    public async Task A_run_that_does_not_stop_is_abandoned_and_the_board_reset()
    {
        using var dir = new TempDir();
        var gated = new GatedBackend { Deaf = TimeSpan.FromSeconds(2) };
        await using var agent = await TestAgents.StartSim(dir, o => o with { RunTimeLimit = TimeSpan.FromMilliseconds(200), StopGrace = TimeSpan.FromMilliseconds(200) }, gated);
        using var remote = RemoteDevice.Connect(agent.Uri);
        var kept = remote.Allocate(4096);
        var insns = TestPrograms.Store(remote, TestPrograms.FinishOnly());
        gated.Hold = true;
        var e = Assert.Throws<VtaRuntimeException>(() => remote.Run(insns, 1));
        Assert.Contains("ran longer than the agent's limit of 0.2 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("the board was reset", e.Message, StringComparison.Ordinal);
        Assert.Contains(agent.Board.Journal.Snapshot(), ev => ev.What == "reset");

        // The reset board has none of the old buffers, and works.
        gated.Hold = false;
        Assert.Equal(0, agent.Board.DramBytes);
        Assert.Throws<VtaRuntimeException>(() => remote.CopyOut(kept, 0, new byte[16]));
        var fresh = TestPrograms.Store(remote, TestPrograms.FinishOnly());
        Assert.Equal(1, remote.Run(fresh, 1).Instructions);
    }

    [Fact]
    public async Task Clients_of_one_board_are_served_one_at_a_time_in_order()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        var first = RemoteDevice.Connect(agent.Uri, null, new RemoteDeviceOptions { Client = "A" });
        var queued = new List<int>();
        var b = TestAgents.OnOwnThread(() => Use("B"));
        await TestAgents.WaitUntil(() => agent.Board.Waiting == 1, "B to queue");
        var c = TestAgents.OnOwnThread(() => Use("C"));
        await TestAgents.WaitUntil(() => agent.Board.Waiting == 2, "C to queue");
        MatmulDemo.Run(first, 1);
        first.Dispose();
        var results = await Task.WhenAll(b, c).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, r => Assert.True(r.Passed));
        Assert.Equal(results[0].Counters.ToList(), results[1].Counters.ToList());
        Assert.Equal([1, 2], queued.Order());

        // The journal shows each session's events together, in arrival order: A, then B, then C.
        var events = agent.Board.Journal.Snapshot();
        var opened = events.Where(e => e.What == "opened").Select(e => e.Detail).ToList();
        Assert.Equal(["A", "B", "C"], opened);
        var order = events.Select(e => e.Session).Where(s => s.Length > 0).Distinct().ToList();
        foreach (string session in order)
        {
            var mine = events.Select((e, i) => (e, i)).Where(t => t.e.Session == session).Select(t => t.i).ToList();
            Assert.Equal(mine.Count, mine[^1] - mine[0] + 1);
            Assert.Equal("closed", events[mine[^1]].What);
        }

        DemoResult Use(string name)
        {
            using var device = RemoteDevice.Connect(agent.Uri, null, new RemoteDeviceOptions
            {
                Client = name,
                Queued = ahead =>
                {
                    lock (queued)
                    {
                        queued.Add(ahead);
                    }
                },
            });
            return MatmulDemo.Run(device, 2);
        }
    }
}
