namespace Vta.Rpc.Client;

/// <summary>How a <see cref="RemoteDevice"/> connects.</summary>
public sealed record RemoteDeviceOptions
{
    /// <summary>The agent's key, if it has one (overrides a key given in the address).</summary>
    public string? Key { get; init; }

    /// <summary>A name the agent logs for this client.</summary>
    public string Client { get; init; } = Environment.MachineName;

    /// <summary>How long to wait in the board's queue before giving up (infinite by default).</summary>
    public TimeSpan QueueTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Told how many clients are ahead when this one has to wait.</summary>
    public Action<int>? Queued { get; init; }

    /// <summary>Largest piece of a copy sent in one call (the agent's own limit also applies).</summary>
    public int CopyChunkBytes { get; init; } = 4 << 20;
}
