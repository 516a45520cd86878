using System.Net;
using Grpc.Core;
using Vta.Rpc.Protocol;

namespace Vta.Rpc.Tracker;

/// <summary>The gRPC face of <see cref="TrackerState"/>.</summary>
internal sealed class TrackerService(TrackerState state) : Protocol.Tracker.TrackerBase
{
    public override Task<RegisterReply> Register(RegisterRequest request, ServerCallContext context)
    {
        if (request.Port is < 1 or > 65535)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"bad port {request.Port}"));
        }

        // An agent listening on every interface reports no host: use the address its registration came from.
        string host = request.Host is "" or "0.0.0.0" or "::" ? PeerHost(context.Peer) : request.Host;
        string id = state.Register(request.Key, host, request.Port, request.Name.Length > 0 ? request.Name : $"{host}:{request.Port}");
        return Task.FromResult(new RegisterReply { BoardId = id, HeartbeatMs = (int)state.Options.HeartbeatInterval.TotalMilliseconds });
    }

    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        Task.FromResult(new HeartbeatReply { Known = state.Heartbeat(request.BoardId, request.Leaving) });

    public override async Task Request(BoardRequest request, IServerStreamWriter<BoardGrant> responseStream, ServerCallContext context)
    {
        var cancel = context.CancellationToken;
        var pending = state.Request(request.Key, out int ahead, out var giveUp);
        Lease lease;
        using (cancel.Register(giveUp))
        {
            if (ahead > 0)
            {
                await responseStream.WriteAsync(new BoardGrant { QueuePosition = ahead }, cancel).ConfigureAwait(false);
            }

            try
            {
                lease = await pending.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the client stopped waiting
            }
        }

        try
        {
            var b = lease.Board;
            await responseStream.WriteAsync(new BoardGrant
            {
                LeaseId = lease.Id,
                Host = b.Host,
                Port = b.Port,
                BoardId = b.Id,
                BoardName = b.Name,
            }, cancel).ConfigureAwait(false);

            // The lease lasts as long as this call: until Release, the board is dropped, or the client goes away.
            var gone = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancel.Register(() => gone.TrySetResult(null)))
            {
                string? dropped = await await Task.WhenAny(lease.Ended.Task, gone.Task).ConfigureAwait(false);
                if (dropped is not null)
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, dropped));
                }
            }
        }
        finally
        {
            state.Release(lease.Id, unreachable: false);
        }
    }

    public override Task<TrackerEmpty> Release(ReleaseRequest request, ServerCallContext context)
    {
        state.Release(request.LeaseId, request.BoardUnreachable);
        return Task.FromResult(new TrackerEmpty());
    }

    public override Task<SummaryReply> Summary(TrackerEmpty request, ServerCallContext context)
    {
        var (boards, queues) = state.Snapshot();
        var reply = new SummaryReply();
        reply.Boards.AddRange(boards.Select(t => new BoardStatus
        {
            BoardId = t.Board.Id,
            Key = t.Board.Key,
            Host = t.Board.Host,
            Port = t.Board.Port,
            Name = t.Board.Name,
            LeaseId = t.Lease ?? "",
            HeartbeatAgeMs = (long)t.Age.TotalMilliseconds,
        }));
        reply.Queues.AddRange(queues.Select(q => new QueueStatus { Key = q.Key, Waiting = q.Waiting }));
        return Task.FromResult(reply);
    }

    /// <summary>"ipv4:127.0.0.1:5555" or "ipv6:[::1]:5555" → the host part.</summary>
    private static string PeerHost(string peer)
    {
        string rest = peer.Contains(':', StringComparison.Ordinal) ? peer[(peer.IndexOf(':', StringComparison.Ordinal) + 1)..] : peer;
        int colon = rest.LastIndexOf(':');
        string host = (colon > 0 ? rest[..colon] : rest).Trim('[', ']');
        return IPAddress.TryParse(host, out _) ? host : "127.0.0.1";
    }
}
