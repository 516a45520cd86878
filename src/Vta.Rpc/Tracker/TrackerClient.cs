using Grpc.Core;
using Grpc.Net.Client;
using Vta.Rpc.Client;
using Vta.Rpc.Protocol;

namespace Vta.Rpc.Tracker;

/// <summary>Talks to a tracker (HOST:PORT): clients ask for boards by key, agents register and heartbeat.</summary>
public sealed class TrackerClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Protocol.Tracker.TrackerClient _client;

    public TrackerClient(string address)
    {
        var (host, port) = RpcAddress.ParseHostPort(address, defaultPort: 9190);
        Address = $"{host}:{port}";
        _channel = RpcChannels.Create(host, port);
        _client = new Protocol.Tracker.TrackerClient(_channel);
    }

    public string Address { get; }

    /// <summary>
    /// Waits in the key's queue for a board and returns the lease; <paramref name="queued"/> hears the position while
    /// waiting. Dispose the lease to give the board back.
    /// </summary>
    public async Task<BoardLease> RequestAsync(string key, string client = "", Action<int>? queued = null, CancellationToken cancel = default)
    {
        var call = _client.Request(new BoardRequest { Key = key, Client = client }, cancellationToken: cancel);
        try
        {
            while (await call.ResponseStream.MoveNext(cancel).ConfigureAwait(false))
            {
                var grant = call.ResponseStream.Current;
                if (grant.LeaseId.Length > 0)
                {
                    return new BoardLease(this, call, grant, key);
                }

                queued?.Invoke(grant.QueuePosition);
            }

            throw new Runtime.VtaRuntimeException($"tracker {Address} ended the request for a '{key}' board without a grant");
        }
        catch (RpcException e)
        {
            call.Dispose();
            throw Translate(e, $"asking for a '{key}' board");
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    public async Task<SummaryReply> SummaryAsync(CancellationToken cancel = default)
    {
        try
        {
            return await _client.SummaryAsync(new TrackerEmpty(), cancellationToken: cancel).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Translate(e, "reading the summary");
        }
    }

    public void Dispose() => _channel.Dispose();

    internal async Task<RegisterReply> RegisterAsync(string key, string host, int port, string name, CancellationToken cancel) =>
        await _client.RegisterAsync(new RegisterRequest { Key = key, Host = host, Port = port, Name = name }, cancellationToken: cancel).ConfigureAwait(false);

    internal async Task<bool> HeartbeatAsync(string boardId, CancellationToken cancel) =>
        (await _client.HeartbeatAsync(new HeartbeatRequest { BoardId = boardId }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancel).ConfigureAwait(false)).Known;

    internal async Task LeaveAsync(string boardId)
    {
        try
        {
            await _client.HeartbeatAsync(new HeartbeatRequest { BoardId = boardId, Leaving = true }, deadline: DateTime.UtcNow.AddSeconds(1)).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The tracker will drop the board when its heartbeats stop.
        }
    }

    internal async Task ReleaseAsync(string leaseId, bool unreachable)
    {
        try
        {
            await _client.ReleaseAsync(new ReleaseRequest { LeaseId = leaseId, BoardUnreachable = unreachable }, deadline: DateTime.UtcNow.AddSeconds(5)).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // Ending the request stream (the lease's owner does) releases the board too.
        }
    }

    private Runtime.VtaRuntimeException Translate(RpcException e, string what) =>
        new($"tracker {Address}: {(e.StatusCode == StatusCode.Unavailable ? "not reachable" : e.StatusCode.ToString())} while {what}: {e.Status.Detail}");
}
