using Vta.Hardware.Config;
using Vta.Rpc.Agent;
using Vta.Rpc.Tracker;
using Vta.Runtime;
using Vta.Runtime.Demos;

namespace Vta.Rpc.Tests;

/// <summary>A tracker with agents under the key "pynq", and clients that queue for them.</summary>
public sealed class TrackerTests
{
    private static readonly TrackerOptions s_steady = new() { Host = "127.0.0.1", Port = 0, HeartbeatInterval = TimeSpan.FromMilliseconds(200) };

    private static readonly TrackerOptions s_fast = new()
    {
        Host = "127.0.0.1",
        Port = 0,
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatTimeout = TimeSpan.FromMilliseconds(1500),
    };

    [Fact]
    public async Task Concurrent_clients_each_get_a_board_run_and_release_it()
    {
        using var dir = new TempDir();
        await using var tracker = await TrackerServer.StartAsync(s_steady);
        await using var a = await StartAgent(dir, "a", tracker);
        await using var b = await StartAgent(dir, "b", tracker);
        await WaitForBoards(tracker, 2);

        int holding = 0, most = 0, waited = 0;
        var expected = ExpectedMatmul();
        var clients = Enumerable.Range(0, 5).Select(i => TestAgents.OnOwnThread(async () =>
        {
            using var client = new TrackerClient(tracker.Address);
            await using var lease = await client.RequestAsync("pynq", $"client{i}", _ => Interlocked.Increment(ref waited));
            int now = Interlocked.Increment(ref holding);
            InterlockedMax(ref most, now);
            try
            {
                using var device = lease.Connect(VtaConfig.Default);
                return MatmulDemo.Run(device, 7);
            }
            finally
            {
                Interlocked.Decrement(ref holding);
            }
        })).ToList();
        var results = await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.True(r.Passed));
        Assert.All(results, r => Assert.Equal(expected, r.Counters.ToList()));
        Assert.True(most <= 2, $"{most} clients held boards at once with two boards");
        Assert.True(waited >= 3, $"only {waited} clients waited in the queue");
        Assert.Equal(5, a.Board.Journal.Snapshot().Count(e => e.What == "opened") + b.Board.Journal.Snapshot().Count(e => e.What == "opened"));
        var summary = await new TrackerClient(tracker.Address).SummaryAsync();
        Assert.All(summary.Boards, s => Assert.Equal("", s.LeaseId));
        Assert.Empty(summary.Queues);
    }

    [Fact]
    public async Task Killing_an_agent_mid_run_fails_its_client_clearly_while_the_others_go_on()
    {
        using var dir = new TempDir();
        await using var tracker = await TrackerServer.StartAsync(s_steady);
        var gated = new GatedBackend();
        await using var doomed = await StartAgent(dir, "doomed", tracker, gated);
        await WaitForBoards(tracker, 1);
        using var client = new TrackerClient(tracker.Address);

        // Client 1 takes the only board, then a second board appears for the others.
        var first = await client.RequestAsync("pynq", "first");
        await using var healthy = await StartAgent(dir, "healthy", tracker);
        await WaitForBoards(tracker, 2);
        var expected = ExpectedMatmul();
        var others = Enumerable.Range(0, 3).Select(i => TestAgents.OnOwnThread(async () =>
        {
            using var c = new TrackerClient(tracker.Address);
            await using var lease = await c.RequestAsync("pynq", $"other{i}");
            using var device = lease.Connect(VtaConfig.Default);
            return (lease.Port, Result: MatmulDemo.Run(device, 8));
        })).ToList();

        gated.Hold = true;
        var victim = TestAgents.OnOwnThread(() =>
        {
            using var device = first.Connect(VtaConfig.Default);
            return Assert.Throws<VtaRuntimeException>(() => MatmulDemo.Run(device, 8));
        });
        await TestAgents.WaitUntil(() => doomed.Board.Journal.Snapshot().Any(e => e.What == "run-start"), "the doomed board to start a run");
        await doomed.KillAsync();

        var error = await victim.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains($"rpc://127.0.0.1:{doomed.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("stopped answering during Run", error.Message, StringComparison.Ordinal);
        await first.DisposeAsync();

        var results = await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, r => Assert.Equal(healthy.Port, r.Port));
        Assert.All(results, r => Assert.Equal(expected, r.Result.Counters.ToList()));
        var summary = await client.SummaryAsync();
        Assert.Equal([healthy.Port], summary.Boards.Select(s => s.Port));
    }

    [Fact]
    public async Task A_board_that_stops_heartbeating_is_dropped_and_one_that_leaves_is_dropped_at_once()
    {
        using var dir = new TempDir();
        await using var tracker = await TrackerServer.StartAsync(s_fast);
        using var client = new TrackerClient(tracker.Address);
        await client.RegisterAsync("pynq", "127.0.0.1", 1, "silent", CancellationToken.None);
        await using var live = await StartAgent(dir, "live", tracker);
        await WaitForBoards(tracker, 2);

        await TestAgents.WaitUntil(() => Boards(client).SequenceEqual(["live"]), "the silent board to be dropped", 5000);

        // The live board kept heartbeating well past the timeout.
        await Task.Delay(s_fast.HeartbeatTimeout * 2);
        Assert.Equal(["live"], Boards(client));

        await live.StopAsync();
        Assert.Empty(Boards(client));
    }

    [Fact]
    public async Task A_client_waiting_for_a_board_is_queued_and_served_when_it_is_released()
    {
        using var dir = new TempDir();
        await using var tracker = await TrackerServer.StartAsync(s_fast);
        await using var agent = await StartAgent(dir, "only", tracker);
        await WaitForBoards(tracker, 1);
        using var client = new TrackerClient(tracker.Address);
        var first = await client.RequestAsync("pynq");
        int position = -1;
        var second = client.RequestAsync("pynq", queued: p => position = p);
        await TestAgents.WaitUntil(() => position == 1, "the second client to be queued");
        Assert.False(second.IsCompleted);

        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<Exception>(() => client.RequestAsync("ultra96", cancel: none.Token));

        await first.DisposeAsync();
        await using var lease = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(agent.Port, lease.Port);
    }

    private static Task<BoardAgent> StartAgent(TempDir dir, string name, TrackerServer tracker, Backends.IBoardBackend? backend = null) =>
        TestAgents.StartSim(dir, o => o with { Key = "pynq", Tracker = tracker.Address, Name = name, WorkDirectory = dir.File(name) }, backend);

    private static async Task WaitForBoards(TrackerServer tracker, int count)
    {
        using var client = new TrackerClient(tracker.Address);
        await TestAgents.WaitUntil(() => client.SummaryAsync().GetAwaiter().GetResult().Boards.Count == count, $"{count} boards to register");
    }

    private static List<string> Boards(TrackerClient client) => [.. client.SummaryAsync().GetAwaiter().GetResult().Boards.Select(b => b.Name)];

    private static List<KeyValuePair<string, long>> ExpectedMatmul()
    {
        using var sim = new Runtime.Devices.SimDevice(VtaConfig.Default);
        return [.. MatmulDemo.Run(sim, 7).Counters.ToList()];
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
