using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vta.Rpc.Backends;
using Vta.Rpc.Hosting;
using Vta.Rpc.Tracker;

namespace Vta.Rpc.Agent;

/// <summary>
/// A board agent (TVM's rpc_server): one <see cref="Board"/> served over gRPC on Kestrel, registered with a tracker
/// when one is given. Start with <see cref="StartAsync"/>; <see cref="Completion"/> ends when a client asks it to shut down.
/// </summary>
public sealed class BoardAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private Task _registration = Task.CompletedTask;
    private int _stopped;

    private BoardAgent(WebApplication app, Board board, string host)
    {
        _app = app;
        Board = board;
        Host = host;
    }

    public Board Board { get; }

    public string Host { get; }

    public int Port { get; private set; }

    /// <summary>rpc://HOST:PORT, what clients connect to.</summary>
    public string Uri => $"rpc://{ClientHost(Host)}:{Port}";

    /// <summary>Ends when a client called Shutdown.</summary>
    public Task Completion => Board.ShutdownRequested;

    /// <summary>Set when the agent dies rather than stops: a crashed agent tells the tracker nothing.</summary>
    internal bool Killed { get; private set; }

    /// <summary>Where the tracker registration stands ("registered as ID", or the last error), for logs.</summary>
    public string? TrackerStatus { get; internal set; }

    public static async Task<BoardAgent> StartAsync(IBoardBackend backend, AgentOptions options, CancellationToken cancel = default)
    {
        var board = new Board(backend, options);
        // Messages may carry a whole bitstream or a whole copy; the board's own checks give the clear refusals.
        int receive = (int)Math.Min(int.MaxValue, Math.Max(options.MaxBitstreamBytes, options.MaxCopyBytes) + (1 << 20));
        int send = (int)Math.Min(int.MaxValue, options.MaxCopyBytes + (1 << 20));
        var app = GrpcHost.Build(options.Host, options.Port, receive, send, s => s.AddSingleton(board));
        app.MapGrpcService<AgentService>();
        var agent = new BoardAgent(app, board, options.Host);
        try
        {
            await app.StartAsync(cancel).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            board.Dispose();
            throw;
        }

        agent.Port = GrpcHost.BoundPort(app);
        if (!string.IsNullOrEmpty(options.Tracker))
        {
            agent._registration = TrackerRegistration.RunAsync(agent, options, agent._stop.Token);
        }

        return agent;
    }

    /// <summary>Stops serving: holds end, runs are stopped, the tracker hears nothing more.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Board.Stop();
        await _app.StopAsync().ConfigureAwait(false);
        await _registration.ConfigureAwait(false);
    }

    /// <summary>Dies at once, as a crashed agent would: connections drop mid-call, nothing is said to the tracker.</summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        Killed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await GrpcHost.KillAsync(_app).ConfigureAwait(false);
        Board.Stop();
        await _registration.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Board.Dispose();
        _stop.Dispose();
    }

    internal static string ClientHost(string host) => host is "0.0.0.0" or "*" or "" ? "127.0.0.1" : host is "::" ? "::1" : host;
}
