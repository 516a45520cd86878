using Grpc.Core;
using Vta.Hardware.Config;
using Vta.Rpc.Client;
using Vta.Rpc.Protocol;

namespace Vta.Rpc.Tracker;

/// <summary>A board the tracker granted: its address, held until disposed (or until the request stream ends).</summary>
public sealed class BoardLease : IAsyncDisposable, IDisposable
{
    private readonly TrackerClient _tracker;
    private readonly AsyncServerStreamingCall<BoardGrant> _call;
    private RemoteDevice? _device;
    private int _released;

    internal BoardLease(TrackerClient tracker, AsyncServerStreamingCall<BoardGrant> call, BoardGrant grant, string key)
    {
        _tracker = tracker;
        _call = call;
        LeaseId = grant.LeaseId;
        Host = grant.Host;
        Port = grant.Port;
        BoardId = grant.BoardId;
        BoardName = grant.BoardName;
        Key = key;
    }

    public string LeaseId { get; }

    public string Host { get; }

    public int Port { get; }

    public string BoardId { get; }

    public string BoardName { get; }

    /// <summary>The key the board was asked for, which is also what the agent checks.</summary>
    public string Key { get; }

    public string Uri => $"rpc://{RpcAddress.FormatHost(Host)}:{Port}";

    /// <summary>Opens the leased board as a device; the lease gives it back when the device has lost the board.</summary>
    public RemoteDevice Connect(VtaConfig? config = null, RemoteDeviceOptions? options = null)
    {
        _device = RemoteDevice.Connect(Uri, config, (options ?? new RemoteDeviceOptions()) with { Key = Key });
        return _device;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        // A board this client could not reach is reported, so the tracker drops it rather than granting it again.
        await _tracker.ReleaseAsync(LeaseId, unreachable: _device?.Lost == true).ConfigureAwait(false);
        _call.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
