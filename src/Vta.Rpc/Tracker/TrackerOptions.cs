namespace Vta.Rpc.Tracker;

/// <summary>Where a tracker listens and how quickly it gives up on a silent board.</summary>
public sealed record TrackerOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TVM's default tracker port; 0 picks a free one.</summary>
    public int Port { get; init; } = 9190;

    /// <summary>How often agents are asked to heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A board with no heartbeat for this long is dropped.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
