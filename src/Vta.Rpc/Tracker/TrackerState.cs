using System.Diagnostics;

namespace Vta.Rpc.Tracker;

/// <summary>A board the tracker knows: where it is, when it last spoke, who holds it.</summary>
internal sealed class BoardRecord(string id, string key, string host, int port, string name)
{
    public string Id { get; } = id;

    public string Key { get; set; } = key;

    public string Host { get; } = host;

    public int Port { get; } = port;

    public string Name { get; set; } = name;

    public long LastHeartbeat { get; set; } = Stopwatch.GetTimestamp();

    public Lease? Lease { get; set; }
}

/// <summary>A grant: the board, and a signal that ends the client's request stream when the lease is over.</summary>
internal sealed class Lease(string id, BoardRecord board, TaskCompletionSource<string?>? ended = null)
{
    public string Id { get; } = id;

    public BoardRecord Board { get; } = board;

    public TaskCompletionSource<string?> Ended { get; } = ended ?? new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The tracker's book: boards by id, a FIFO of waiting clients per key, leases. Every change happens under one lock;
/// a free board goes to the first client waiting for its key.
/// </summary>
internal sealed class TrackerState(TrackerOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BoardRecord> _boards = [];
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<Lease>>> _queues = [];

    public TrackerOptions Options { get; } = options;

    public string Register(string key, string host, int port, string name)
    {
        lock (_gate)
        {
            // An agent registering again on the same address (it restarted, or lost the tracker for a while) replaces
            // its old record but keeps that record's lease: the client holding it is still using the board.
            var board = new BoardRecord(Guid.NewGuid().ToString("N")[..12], key, host, port, name);
            foreach (var old in _boards.Values.Where(b => b.Host == host && b.Port == port).ToList())
            {
                _boards.Remove(old.Id);
                if (old.Lease is { } lease && board.Lease is null && old.Key == key)
                {
                    board.Lease = new Lease(lease.Id, board, lease.Ended);
                }
                else
                {
                    old.Lease?.Ended.TrySetResult($"board {old.Name} ({host}:{port}) registered again under another key");
                }
            }

            _boards.Add(board.Id, board);
            GrantFree(board);
            return board.Id;
        }
    }

    public bool Heartbeat(string id, bool leaving)
    {
        lock (_gate)
        {
            if (!_boards.TryGetValue(id, out var board))
            {
                return false;
            }

            if (leaving)
            {
                Drop(board, "the board's agent stopped");
                return true;
            }

            board.LastHeartbeat = Stopwatch.GetTimestamp();
            return true;
        }
    }

    /// <summary>Queues a client for a board with <paramref name="key"/>; the task completes with its lease.</summary>
    public Task<Lease> Request(string key, out int ahead, out Action cancel)
    {
        var tcs = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var queue = Queue(key);
            var free = queue.Count == 0 ? _boards.Values.FirstOrDefault(b => b.Key == key && b.Lease is null) : null;
            if (free is not null)
            {
                ahead = 0;
                cancel = () => { };
                tcs.SetResult(Grant(free));
                return tcs.Task;
            }

            ahead = queue.Count + 1;
            var node = queue.AddLast(tcs);
            cancel = () =>
            {
                lock (_gate)
                {
                    if (node.List is not null)
                    {
                        queue.Remove(node);
                        tcs.TrySetCanceled();
                    }
                }
            };
            return tcs.Task;
        }
    }

    /// <summary>Ends a lease and hands its board on; <paramref name="unreachable"/> drops the board instead.</summary>
    public void Release(string leaseId, bool unreachable)
    {
        lock (_gate)
        {
            var board = _boards.Values.FirstOrDefault(b => b.Lease?.Id == leaseId);
            if (board is null)
            {
                return;
            }

            if (unreachable)
            {
                Drop(board, "its client could not reach it");
                return;
            }

            board.Lease!.Ended.TrySetResult(null);
            board.Lease = null;
            GrantFree(board);
        }
    }

    /// <summary>Drops boards whose heartbeats stopped.</summary>
    public void Sweep()
    {
        lock (_gate)
        {
            foreach (var board in _boards.Values.Where(b => Stopwatch.GetElapsedTime(b.LastHeartbeat) > Options.HeartbeatTimeout).ToList())
            {
                Drop(board, $"no heartbeat for {Options.HeartbeatTimeout.TotalSeconds:0.###} s");
            }
        }
    }

    public (List<(BoardRecord Board, string? Lease, TimeSpan Age)> Boards, List<(string Key, int Waiting)> Queues) Snapshot()
    {
        lock (_gate)
        {
            return (_boards.Values.Select(b => (b, b.Lease?.Id, Stopwatch.GetElapsedTime(b.LastHeartbeat))).OrderBy(t => t.b.Key, StringComparer.Ordinal).ThenBy(t => t.b.Port).ToList(),
                _queues.Where(q => q.Value.Count > 0).Select(q => (q.Key, q.Value.Count)).ToList());
        }
    }

    private LinkedList<TaskCompletionSource<Lease>> Queue(string key)
    {
        if (!_queues.TryGetValue(key, out var queue))
        {
            queue = new LinkedList<TaskCompletionSource<Lease>>();
            _queues.Add(key, queue);
        }

        return queue;
    }

    private Lease Grant(BoardRecord board)
    {
        board.Lease = new Lease(Guid.NewGuid().ToString("N"), board);
        return board.Lease;
    }

    private void GrantFree(BoardRecord board)
    {
        var queue = Queue(board.Key);
        while (board.Lease is null && queue.First is { } next)
        {
            queue.RemoveFirst();
            var lease = Grant(board);
            if (!next.Value.TrySetResult(lease))
            {
                board.Lease = null;
            }
        }
    }

    private void Drop(BoardRecord board, string why)
    {
        _boards.Remove(board.Id);
        board.Lease?.Ended.TrySetResult($"board {board.Name} ({board.Host}:{board.Port}) was dropped: {why}");
        board.Lease = null;
    }
}
