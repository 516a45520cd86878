using System.Diagnostics;
using Grpc.Core;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Rpc.Agent;

/// <summary>Runs: the configuration check, and the time limit that stops a run that goes on too long.</summary>
public sealed partial class Board
{
    public async Task<(DeviceRunResult Result, TimeSpan Elapsed)> RunAsync(string? session, uint insnAddr, int insnCount,
        string clientModel, string clientHwVer, CancellationToken cancel)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            var board = _device.Config;
            if (board.Model != clientModel || board.HwVer != clientHwVer)
            {
                throw new RpcFault(StatusCode.FailedPrecondition, "config",
                    $"run refused: the board is programmed for {board.Model} (HW_VER {board.HwVer}), the client's instructions are for {clientModel} (HW_VER {clientHwVer}); program or reconfigure the board for {clientModel} first");
            }

            if (insnCount <= 0)
            {
                throw new RpcFault(StatusCode.InvalidArgument, "runtime", $"cannot run {insnCount} instructions");
            }

            var (buffer, offset) = _allocations.Find(insnAddr, (long)insnCount * VtaConfig.InsnBytes);
            var insns = offset == 0 ? buffer : buffer.Slice(offset, (long)insnCount * VtaConfig.InsnBytes);
            Journal.Add(session!, "run-start", insnCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                return await RunLimitedAsync((device, stop) => _backend.Run(device, insns, insnCount, stop),
                    $"{insnCount} instructions", cancel).ConfigureAwait(false);
            }
            finally
            {
                Journal.Add(session!, "run-end");
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (<paramref name="what"/>, for messages) on the board's device under the time limit;
    /// shared by stream runs and package runs.
    /// </summary>
    private async Task<(T, TimeSpan)> RunLimitedAsync<T>(Func<IVtaDevice, CancellationToken, T> work, string what, CancellationToken cancel)
    {
        var limit = Options.RunTimeLimit;
        using var overTime = new CancellationTokenSource(limit);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(overTime.Token, cancel, _stopping.Token);
        var device = _device;
        var clock = Stopwatch.StartNew();

        // A thread of its own: a simulated run is long CPU work, and a stuck one must not hold a pool thread.
        var worker = Task.Factory.StartNew(() => work(device, stop.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stop.Token.Register(() => stopped.TrySetResult()))
        {
            var first = await Task.WhenAny(worker, stopped.Task).ConfigureAwait(false);
            if (first != worker && await Task.WhenAny(worker, Task.Delay(Options.StopGrace, CancellationToken.None)).ConfigureAwait(false) != worker)
            {
                // The run is inside one long instruction: give up on it and on this device.
                _ = worker.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                DropDevice();
                _device = _backend.CreateDevice(device.Config);
                Journal.Add("", "reset", "a stopped run did not end");
                throw Stopped(overTime.IsCancellationRequested, limit, what,
                    $" It did not stop within {Options.StopGrace.TotalSeconds:0.###} s, so the board was reset: its DRAM and every allocation are gone.");
            }
        }

        try
        {
            var result = await worker.ConfigureAwait(false);
            return (result, clock.Elapsed);
        }
        catch (OperationCanceledException)
        {
            throw Stopped(overTime.IsCancellationRequested, limit, what, "");
        }
        catch (Runtime.VtaRuntimeException e)
        {
            throw new RpcFault(StatusCode.FailedPrecondition, "runtime", e.Message);
        }
        catch (Exception e) when (e is VtaSimException or DramException)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "sim", e.Message);
        }
    }

    private RpcFault Stopped(bool overTime, TimeSpan limit, string what, string more) => overTime
        ? new RpcFault(StatusCode.DeadlineExceeded, "timeout",
            $"run stopped: {what} ran longer than the agent's limit of {limit.TotalSeconds:0.###} s.{more}")
        : new RpcFault(StatusCode.Cancelled, "runtime",
            _stopping.IsCancellationRequested ? "run stopped: the agent is shutting down." + more : "run stopped: the client cancelled it." + more);
}
