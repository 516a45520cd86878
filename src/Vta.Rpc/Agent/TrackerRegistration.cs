using Grpc.Core;
using Vta.Rpc.Tracker;

namespace Vta.Rpc.Agent;

/// <summary>The agent's side of the tracker: register under the key, heartbeat, register again if dropped or if the tracker restarted.</summary>
internal static class TrackerRegistration
{
    public static async Task RunAsync(BoardAgent agent, AgentOptions options, CancellationToken stop)
    {
        using var tracker = new TrackerClient(options.Tracker!);
        string host = options.Host is "0.0.0.0" or "::" or "*" ? "" : options.Host;
        string? id = null;
        var interval = TimeSpan.FromSeconds(1);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (id is null)
                {
                    var reply = await tracker.RegisterAsync(options.Key ?? "", host, agent.Port, options.Name ?? $"{agent.Board.BackendName}@{agent.Port}", stop).ConfigureAwait(false);
                    id = reply.BoardId;
                    interval = TimeSpan.FromMilliseconds(Math.Max(10, reply.HeartbeatMs));
                    agent.TrackerStatus = $"registered with {options.Tracker} as {id}";
                }
                else if (!await tracker.HeartbeatAsync(id, stop).ConfigureAwait(false))
                {
                    id = null;
                    continue;
                }
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException or IOException)
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                // The tracker is down or restarting: keep trying at the same pace.
                agent.TrackerStatus = $"tracker {options.Tracker} unreachable: {e.Message}";
                id = null;
            }

            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (id is not null && !agent.Killed)
        {
            // A clean stop says goodbye, so the tracker hands out no lease on a board that is gone.
            await tracker.LeaveAsync(id).ConfigureAwait(false);
        }
    }
}
