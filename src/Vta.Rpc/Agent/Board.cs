using System.Collections.Concurrent;
using Grpc.Core;
using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Hardware.IO;
using Vta.Rpc.Backends;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Rpc.Agent;

/// <summary>
/// One board as the agent serves it: a device from the backend, the FIFO of clients, the allocations of the client
/// holding it, and every safety rule (limits, names, configuration match, run time). Transport-free, so it is
/// what the gRPC service calls and what tests can drive directly.
/// </summary>
public sealed partial class Board : IDisposable
{
    private readonly IBoardBackend _backend;
    private readonly SemaphoreSlim _mutex = new(1, 1);
    private readonly SessionQueue _queue = new();
    private readonly AllocationTable _allocations = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _sessionEnds = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IVtaDevice _device;
    private VtaConfig? _programmed;

    public Board(IBoardBackend backend, AgentOptions options)
    {
        _backend = backend;
        Options = options;
        Directory.CreateDirectory(options.WorkDirectory);
        _device = backend.CreateDevice(options.InitialConfig);
    }

    public AgentOptions Options { get; }

    public string BackendName => _backend.Name;

    public IReadOnlyCollection<BitstreamKind> BitstreamKinds => _backend.BitstreamKinds;

    public VtaConfig Config => _device.Config;

    public string? BitstreamName { get; private set; }

    public string? BitstreamSha256 { get; private set; }

    public BoardJournal Journal { get; } = new();

    public bool Held => _queue.Holder is not null;

    public int Waiting => _queue.Waiting;

    public long DramBytes => _allocations.LiveBytes;

    /// <summary>Completes when a client asked the agent to shut down.</summary>
    public Task ShutdownRequested => _shutdown.Task;

    /// <summary>
    /// Waits for the board in FIFO order, reports the grant, then holds the board until Close, until
    /// <paramref name="cancel"/> fires (the client went away), or until the agent stops; then frees what it left.
    /// </summary>
    public async Task HoldAsync(string client, Action<int> queued, Func<string, Task> granted, CancellationToken cancel)
    {
        string session = await _queue.AcquireAsync(queued, cancel).ConfigureAwait(false);
        using var ended = new CancellationTokenSource();
        _sessionEnds[session] = ended;
        try
        {
            Journal.Add(session, "opened", client);
            cancel.ThrowIfCancellationRequested();
            await granted(session).ConfigureAwait(false);
            using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancel, ended.Token, _stopping.Token);
            await Task.Delay(Timeout.Infinite, hold.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closed, gone, or stopping: all end the hold the same way.
        }
        finally
        {
            await EndSessionAsync(session).ConfigureAwait(false);
        }
    }

    public async Task CloseAsync(string? session)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
        }

        if (session is not null && _sessionEnds.TryGetValue(session, out var ended))
        {
            await ended.CancelAsync().ConfigureAwait(false);
        }
    }

    public async Task<(BitstreamImage Image, VtaConfig Config)> ProgramAsync(string? session, string name, byte[] bitstream, string? configJson)
    {
        if (bitstream.LongLength > Options.MaxBitstreamBytes)
        {
            throw new RpcFault(StatusCode.ResourceExhausted, "limit",
                $"bitstream '{name}' of {bitstream.LongLength} bytes is over the agent's limit of {Options.MaxBitstreamBytes} bytes");
        }

        string path = SafeName.Resolve(Options.WorkDirectory, name);
        BitstreamImage image;
        try
        {
            image = BitstreamImage.Inspect(bitstream);
        }
        catch (BitstreamException e)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "config", $"{name}: {e.Message}");
        }

        VtaConfig? declared = string.IsNullOrWhiteSpace(configJson) ? null : ParseConfig(configJson);
        if (image.Config is { } carried && declared is not null && !carried.Equals(declared))
        {
            throw new RpcFault(StatusCode.InvalidArgument, "config",
                $"{name} carries {Describe(carried)} but was sent as a bitstream for {Describe(declared)}");
        }

        var config = image.Config ?? declared ?? throw new RpcFault(StatusCode.InvalidArgument, "config",
            $"{name} is a Xilinx bitstream, which carries no VTA configuration: send the configuration it was built for");
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            AtomicFile.WriteAllBytes(path, bitstream);
            var previous = _device.Config;
            DropDevice();
            try
            {
                _backend.Program(path, image, config);
                _device = _backend.CreateDevice(config);
            }
            catch
            {
                _device = _backend.CreateDevice(previous);
                throw;
            }

            _programmed = config;
            BitstreamName = name;
            BitstreamSha256 = image.Sha256;
            Journal.Add(session!, "programmed", $"{name} {config.Model}");
            return (image, config);
        }
    }

    public async Task<VtaConfig> ReconfigureAsync(string? session, string configJson)
    {
        var config = ParseConfig(configJson);
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            _backend.CheckReconfigure(_programmed, config);
            if (!config.Equals(_device.Config))
            {
                // Like TVM's reconfig_runtime, a configuration already in place is left alone.
                DropDevice();
                _device = _backend.CreateDevice(config);
                Journal.Add(session!, "reconfigured", config.Model);
            }

            return _device.Config;
        }
    }

    public async Task<uint> AllocateAsync(string? session, long bytes)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            if (bytes <= 0)
            {
                throw new RpcFault(StatusCode.InvalidArgument, "runtime", $"cannot allocate {bytes} bytes");
            }

            if (bytes > Options.MaxDramBytes - _allocations.LiveBytes)
            {
                throw new RpcFault(StatusCode.ResourceExhausted, "limit",
                    $"allocating {bytes} bytes would hold {_allocations.LiveBytes + bytes} bytes of DRAM, over the agent's limit of {Options.MaxDramBytes}");
            }

            var buffer = Device(d => d.Allocate(bytes));
            _allocations.Add(buffer);
            return buffer.PhysAddr;
        }
    }

    public async Task FreeAsync(string? session, uint addr)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            var buffer = _allocations.Remove(addr);
            Device(d => d.Free(buffer));
        }
    }

    public async Task CopyInAsync(string? session, uint addr, ReadOnlyMemory<byte> data)
    {
        CheckCopy(data.Length);
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            var (buffer, offset) = _allocations.Find(addr, data.Length);
            Device(d => d.CopyIn(buffer, offset, data.Span));
        }
    }

    public async Task<byte[]> CopyOutAsync(string? session, uint addr, long bytes)
    {
        CheckCopy(bytes);
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            var (buffer, offset) = _allocations.Find(addr, bytes);
            var data = new byte[bytes];
            Device(d => d.CopyOut(buffer, offset, data));
            return data;
        }
    }

    public async Task<SimCounters> ReadCountersAsync(string? session)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            return _device.ReadCounters();
        }
    }

    public async Task ClearCountersAsync(string? session)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            _device.ClearCounters();
        }
    }

    public async Task RequestShutdownAsync(string? session)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            Journal.Add(session!, "shutdown");
        }

        _shutdown.TrySetResult();
    }

    /// <summary>Ends every hold and stops runs; called when the agent stops.</summary>
    public void Stop() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Cancel();
        _device.Dispose();
        _backend.Dispose();
        _stopping.Dispose();
    }

    private static string Describe(VtaConfig c) => $"{c.Model} (HW_VER {c.HwVer})";

    private static VtaConfig ParseConfig(string json)
    {
        try
        {
            return VtaConfigLoader.Parse(json, "client configuration");
        }
        catch (VtaConfigException e)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "config", e.Message);
        }
    }

    private void CheckCopy(long bytes)
    {
        if (bytes < 0)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "runtime", $"cannot copy {bytes} bytes");
        }

        if (bytes > Options.MaxCopyBytes)
        {
            throw new RpcFault(StatusCode.ResourceExhausted, "limit", $"a copy of {bytes} bytes is over the agent's limit of {Options.MaxCopyBytes} bytes per call");
        }
    }

    /// <summary>Runtime misuse reported by the device (freed buffer, range) becomes a refusal, not a crash.</summary>
    private T Device<T>(Func<IVtaDevice, T> action)
    {
        try
        {
            return action(_device);
        }
        catch (Exception e) when (e is Runtime.VtaRuntimeException or DramException)
        {
            throw new RpcFault(StatusCode.FailedPrecondition, "runtime", e.Message);
        }
    }

    private void Device(Action<IVtaDevice> action) => Device(d =>
    {
        action(d);
        return 0;
    });

    private void DropDevice()
    {
        _allocations.Clear();
        _device.Dispose();
    }

    private async Task EndSessionAsync(string session)
    {
        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            // The next client gets a board with none of this one's buffers.
            foreach (var buffer in _allocations.All.ToList())
            {
                try
                {
                    _device.Free(buffer);
                }
                catch (Runtime.VtaRuntimeException)
                {
                    // Already gone with a reset device: nothing to give back.
                }
            }

            _allocations.Clear();
            _sessionEnds.TryRemove(session, out _);
            Journal.Add(session, "closed");
            _queue.Release(session);
        }
        finally
        {
            _mutex.Release();
        }
    }

    /// <summary>Takes the board's lock for a call of <paramref name="session"/>, which must hold the board.</summary>
    private async Task<IDisposable> EnterAsync(string? session)
    {
        if (string.IsNullOrEmpty(session))
        {
            throw new RpcFault(StatusCode.FailedPrecondition, "session", "no session: open the board first (every call but Info needs the session from Open)");
        }

        await _mutex.WaitAsync().ConfigureAwait(false);
        if (_queue.Holder != session)
        {
            _mutex.Release();
            throw new RpcFault(StatusCode.FailedPrecondition, "session", "this session does not hold the board (it was closed, or the client was disconnected)");
        }

        return new Releaser(_mutex);
    }

    private sealed class Releaser(SemaphoreSlim mutex) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                mutex.Release();
            }
        }
    }
}
