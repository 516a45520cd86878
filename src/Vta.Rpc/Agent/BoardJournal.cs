namespace Vta.Rpc.Agent;

/// <summary>One thing that happened on a board, in order: opened, run-start, run-end, closed, programmed, reset.</summary>
public readonly record struct BoardEvent(long Sequence, string Session, string What, string Detail);

/// <summary>The board's recent history (bounded): what tests and logs read to see who held the board when.</summary>
public sealed class BoardJournal
{
    private const int Capacity = 4096;
    private readonly Queue<BoardEvent> _events = new();
    private long _next;

    public event Action<BoardEvent>? Added;

    public void Add(string session, string what, string detail = "")
    {
        BoardEvent e;
        lock (_events)
        {
            e = new BoardEvent(_next++, session, what, detail);
            _events.Enqueue(e);
            if (_events.Count > Capacity)
            {
                _events.Dequeue();
            }
        }

        Added?.Invoke(e);
    }

    public IReadOnlyList<BoardEvent> Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }
}
