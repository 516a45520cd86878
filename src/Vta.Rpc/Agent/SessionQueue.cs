namespace Vta.Rpc.Agent;

/// <summary>
/// One board, one client at a time, in arrival order: a FIFO lock whose holder is a session id. Waiters that give up
/// (their call is cancelled) leave the queue.
/// </summary>
public sealed class SessionQueue
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<string>> _waiting = [];
    private string? _holder;

    public string? Holder
    {
        get
        {
            lock (_gate)
            {
                return _holder;
            }
        }
    }

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Waits for the board; <paramref name="queued"/> is told how many clients are ahead when this one must wait.</summary>
    public async Task<string> AcquireAsync(Action<int> queued, CancellationToken cancel)
    {
        TaskCompletionSource<string> tcs;
        LinkedListNode<TaskCompletionSource<string>> node;
        int ahead;
        lock (_gate)
        {
            if (_holder is null && _waiting.Count == 0)
            {
                _holder = NewId();
                return _holder;
            }

            tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            ahead = _waiting.Count + 1;
            node = _waiting.AddLast(tcs);
        }

        queued(ahead);
        using (cancel.Register(() => Abandon(node)))
        {
            return await tcs.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Ends <paramref name="session"/>'s hold (if it still holds the board) and hands the board to the next client.</summary>
    public bool Release(string session)
    {
        lock (_gate)
        {
            if (_holder != session)
            {
                return false;
            }

            _holder = null;
            while (_waiting.First is { } next)
            {
                _waiting.RemoveFirst();
                string id = NewId();
                if (next.Value.TrySetResult(id))
                {
                    _holder = id;
                    break;
                }
            }

            return true;
        }
    }

    private void Abandon(LinkedListNode<TaskCompletionSource<string>> node)
    {
        lock (_gate)
        {
            if (node.List is not null)
            {
                _waiting.Remove(node);
                node.Value.TrySetCanceled();
            }
        }
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
