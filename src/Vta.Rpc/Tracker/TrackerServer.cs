using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vta.Rpc.Hosting;

namespace Vta.Rpc.Tracker;

/// <summary>A tracker (TVM's rpc_tracker) on Kestrel: boards register, clients queue for them by key, silent boards are dropped.</summary>
public sealed class TrackerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TrackerState _state;
    private readonly CancellationTokenSource _stop = new();
    private Task _sweeper = Task.CompletedTask;
    private int _stopped;

    private TrackerServer(WebApplication app, TrackerState state, string host)
    {
        _app = app;
        _state = state;
        Host = host;
    }

    public string Host { get; }

    public int Port { get; private set; }

    /// <summary>HOST:PORT, what agents and clients are given.</summary>
    public string Address => $"{Agent.BoardAgent.ClientHost(Host)}:{Port}";

    public static async Task<TrackerServer> StartAsync(TrackerOptions options, CancellationToken cancel = default)
    {
        var state = new TrackerState(options);
        var app = GrpcHost.Build(options.Host, options.Port, 1 << 20, 1 << 20, s => s.AddSingleton(state));
        app.MapGrpcService<TrackerService>();
        await app.StartAsync(cancel).ConfigureAwait(false);
        var server = new TrackerServer(app, state, options.Host) { Port = GrpcHost.BoundPort(app) };
        server._sweeper = server.SweepAsync(options);
        return server;
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _sweeper.ConfigureAwait(false);
        await GrpcHost.KillAsync(_app).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SweepAsync(TrackerOptions options)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, options.HeartbeatTimeout.Ticks / 4));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                _state.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
