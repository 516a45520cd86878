using Grpc.Core;
using Grpc.Net.Client;
using Vta.Hardware.Config;
using Vta.Rpc.Protocol;
using Vta.Runtime;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Rpc.Client;

/// <summary>
/// A board over RPC as an <see cref="IVtaDevice"/>: the agent at rpc://HOST:PORT holds the DRAM and runs the streams,
/// so code written against a local device runs unchanged. The board is this client's from Connect to Dispose.
/// </summary>
public sealed partial class RemoteDevice : IVtaDevice
{
    private readonly GrpcChannel _channel;
    private readonly VtaAgent.VtaAgentClient _client;
    private readonly AsyncServerStreamingCall<SessionEvent> _hold;
    private readonly Metadata _headers;
    private readonly int _chunk;
    private string? _lostReason;
    private bool _disposed;

    private RemoteDevice(string name, GrpcChannel channel, VtaAgent.VtaAgentClient client, AsyncServerStreamingCall<SessionEvent> hold,
        Metadata headers, VtaConfig config, int chunk)
    {
        Name = name;
        _channel = channel;
        _client = client;
        _hold = hold;
        _headers = headers;
        Config = config;
        _chunk = chunk;
    }

    /// <summary>rpc://HOST:PORT.</summary>
    public string Name { get; }

    /// <summary>The configuration this client builds its streams for (runs are refused on a board programmed otherwise).</summary>
    public VtaConfig Config { get; }

    /// <summary>True once the connection to the agent broke: the board and its buffers are gone for this client.</summary>
    public bool Lost => _lostReason is not null;

    /// <summary>Connects, waits for the board, and holds it. <paramref name="config"/> null takes the board's own.</summary>
    public static RemoteDevice Connect(string uri, VtaConfig? config = null, RemoteDeviceOptions? options = null) =>
        Task.Run(() => ConnectAsync(uri, config, options)).GetAwaiter().GetResult();

    public static async Task<RemoteDevice> ConnectAsync(string uri, VtaConfig? config = null, RemoteDeviceOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new RemoteDeviceOptions();
        var (host, port, uriKey) = RpcAddress.Parse(uri);
        string name = $"rpc://{RpcAddress.FormatHost(host)}:{port}";
        var channel = RpcChannels.Create(host, port);
        var client = new VtaAgent.VtaAgentClient(channel);
        var headers = new Metadata();
        if ((options.Key ?? uriKey) is { Length: > 0 } key)
        {
            headers.Add(RpcHeaders.Key, key);
        }

        AsyncServerStreamingCall<SessionEvent>? hold = null;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        try
        {
            var info = await client.InfoAsync(new Empty(), headers, cancellationToken: cancel).ConfigureAwait(false);
            wait.CancelAfter(options.QueueTimeout);
            hold = client.Open(new OpenRequest { Client = options.Client }, headers);
            string session = await WaitForSessionAsync(hold, options, wait.Token).ConfigureAwait(false);
            headers.Add(RpcHeaders.Session, session);
            int chunk = (int)Math.Clamp(Math.Min(options.CopyChunkBytes, info.Limits.MaxCopyBytes), 4096, int.MaxValue);
            return new RemoteDevice(name, channel, client, hold, headers, config ?? VtaConfigLoader.Parse(info.Config.ConfigJson), chunk);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException && wait.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            hold?.Dispose();
            channel.Dispose();
            throw new VtaRuntimeException($"{name}: the board was still held by another client after {options.QueueTimeout.TotalSeconds:0.###} s of waiting");
        }
        catch (RpcException e)
        {
            hold?.Dispose();
            channel.Dispose();
            throw Translate(name, "connecting", e);
        }
        catch
        {
            hold?.Dispose();
            channel.Dispose();
            throw;
        }
    }

    public DeviceBuffer Allocate(long bytes)
    {
        var reply = Call("Allocate", () => _client.Allocate(new AllocateRequest { Bytes = bytes }, _headers));
        return new DeviceBuffer(this, reply.PhysAddr, bytes);
    }

    public void Free(DeviceBuffer buffer)
    {
        Check(buffer);
        if (buffer.Parent is not null)
        {
            throw new VtaRuntimeException($"buffer {buffer} is a slice; free the allocation it came from");
        }

        if (!Lost)
        {
            // A lost board took its DRAM with it: freeing (say, in a finally) must not hide the error that lost it.
            Call("Free", () => _client.Free(new FreeRequest { PhysAddr = buffer.PhysAddr }, _headers));
        }

        buffer.MarkFreed();
    }

    public void CopyIn(DeviceBuffer dst, long dstOffset, ReadOnlySpan<byte> src)
    {
        CheckRange(dst, dstOffset, src.Length);
        for (int done = 0; done < src.Length; done += _chunk)
        {
            var piece = Google.Protobuf.ByteString.CopyFrom(src.Slice(done, Math.Min(_chunk, src.Length - done)));
            uint addr = (uint)(dst.PhysAddr + dstOffset + done);
            Call("CopyIn", () => _client.CopyIn(new CopyInRequest { PhysAddr = addr, Data = piece }, _headers));
        }
    }

    public void CopyOut(DeviceBuffer src, long srcOffset, Span<byte> dst)
    {
        CheckRange(src, srcOffset, dst.Length);
        for (int done = 0; done < dst.Length; done += _chunk)
        {
            int n = Math.Min(_chunk, dst.Length - done);
            uint addr = (uint)(src.PhysAddr + srcOffset + done);
            var reply = Call("CopyOut", () => _client.CopyOut(new CopyOutRequest { PhysAddr = addr, Bytes = n }, _headers));
            if (reply.Data.Length != n)
            {
                throw new VtaRuntimeException($"{Name}: CopyOut returned {reply.Data.Length} bytes, {n} were asked for");
            }

            reply.Data.Span.CopyTo(dst[done..]);
        }
    }

    public DeviceRunResult Run(DeviceBuffer insns, int insnCount)
    {
        CheckRange(insns, 0, (long)insnCount * VtaConfig.InsnBytes);
        var reply = Call("Run", () => _client.Run(new RunRequest
        {
            InsnPhysAddr = insns.PhysAddr,
            InsnCount = insnCount,
            ClientModel = Config.Model,
            ClientHwVer = Config.HwVer,
        }, _headers));
        return new DeviceRunResult(reply.Instructions, reply.HasCycles ? reply.Cycles : null);
    }

    public SimCounters ReadCounters() => PackageMessages.FromProto(Call("ReadCounters", () => _client.ReadCounters(new Empty(), _headers)));

    public void ClearCounters() => Call("ClearCounters", () => _client.ClearCounters(new Empty(), _headers));

    /// <summary>Gives the board back (the agent frees what this client left) and closes the connection.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!Lost)
        {
            try
            {
                _client.Close(new Empty(), _headers, deadline: DateTime.UtcNow.AddSeconds(5));
            }
            catch (RpcException)
            {
                // Ending the hold stream below releases the board as well.
            }
        }

        _hold.Dispose();
        _channel.Dispose();
    }

    private static async Task<string> WaitForSessionAsync(AsyncServerStreamingCall<SessionEvent> hold, RemoteDeviceOptions options, CancellationToken cancel)
    {
        while (await hold.ResponseStream.MoveNext(cancel).ConfigureAwait(false))
        {
            var e = hold.ResponseStream.Current;
            if (e.Session.Length > 0)
            {
                return e.Session;
            }

            options.Queued?.Invoke(e.QueuePosition);
        }

        throw new RpcException(new Status(StatusCode.Unavailable, "the agent ended the session before granting the board"));
    }

    private void Check(DeviceBuffer b)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        b.EnsureUsableOn(this);
    }

    private void CheckRange(DeviceBuffer b, long offset, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        b.EnsureRange(this, offset, length);
    }
}
