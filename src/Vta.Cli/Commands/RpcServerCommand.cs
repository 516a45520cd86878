using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Vta.Rpc.Agent;
using Vta.Rpc.Backends;
using Vta.Rpc.Backends.Pynq;

namespace Vta.Cli.Commands;

/// <summary>vta rpc-server: a board agent (TVM's rpc_server) that serves one VTA (simulated or real) over gRPC until shut down.</summary>
internal static class RpcServerCommand
{
    public static Command Create(CliContext context)
    {
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: any free port)", DefaultValueFactory = _ => 9091 };
        var key = new Option<string?>("--key") { Description = "Board key (such as pynq): its name at the tracker, and clients must present it" };
        var backend = new Option<string>("--backend") { Description = "What the board is: sim (behavioral simulator), timing (timing simulator) or pynq (a real Zynq board, run on the board as root)", DefaultValueFactory = _ => "sim" };
        backend.AcceptOnlyFromAmong("sim", "timing", "pynq");
        var tracker = new Option<string?>("--tracker") { Description = "Register with the tracker at HOST:PORT (needs --key)", HelpName = "HOST:PORT" };
        var config = CliOptions.Config();
        var work = new Option<string?>("--work-dir") { Description = "Folder for uploaded bitstreams and packages (default: vta-agent-PORT in the temp folder)", HelpName = "DIR" };
        var runLimit = new Option<double>("--run-time-limit") { Description = "Seconds one run may take before it is stopped", DefaultValueFactory = _ => 60 };
        var maxBitstream = new Option<long>("--max-bitstream-mib") { Description = "Largest bitstream upload, MiB", DefaultValueFactory = _ => 64 };
        var maxPackage = new Option<long>("--max-package-mib") { Description = "Largest package upload, MiB", DefaultValueFactory = _ => 256 };
        var maxPackages = new Option<int>("--max-packages") { Description = "Packages kept at once (the least recently used goes first)", DefaultValueFactory = _ => 8 };
        var maxDram = new Option<long>("--max-dram-mib") { Description = "Most DRAM the clients may hold at once, MiB", DefaultValueFactory = _ => 1024 };
        var command = new Command("rpc-server", "Serve a VTA board over RPC (program, reconfigure, allocate, copy, run, counters) until a client shuts it down or Ctrl+C")
        {
            host, port, key, backend, tracker, config, work, runLimit, maxBitstream, maxPackage, maxPackages, maxDram,
        };
        command.SetAction(async (parse, cancel) =>
        {
            if (parse.GetValue(tracker) is not null && string.IsNullOrEmpty(parse.GetValue(key)))
            {
                throw new FormatException("--tracker needs --key: boards register with the tracker under their key (such as pynq)");
            }

            var options = new AgentOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                Key = parse.GetValue(key),
                Tracker = parse.GetValue(tracker),
                InitialConfig = CliOptions.ResolveConfig(parse, config),
                WorkDirectory = parse.GetValue(work) ?? Path.Combine(Path.GetTempPath(), $"vta-agent-{parse.GetValue(port).ToString(CultureInfo.InvariantCulture)}"),
                RunTimeLimit = TimeSpan.FromSeconds(parse.GetValue(runLimit)),
                MaxBitstreamBytes = parse.GetValue(maxBitstream) << 20,
                MaxDramBytes = parse.GetValue(maxDram) << 20,
                MaxPackageBytes = parse.GetValue(maxPackage) << 20,
                MaxPackages = Math.Max(1, parse.GetValue(maxPackages)),
            };
            IBoardBackend board = parse.GetValue(backend) switch
            {
                "timing" => SimBackend.Timing(),
                "pynq" => PynqBackend.OnBoard(),
                _ => SimBackend.Behavioral(),
            };
            using var stop = new StopSignal(cancel);
            await using var agent = await BoardAgent.StartAsync(board, options, stop.Token).ConfigureAwait(false);
            context.Err.WriteLine($"vta rpc-server: {board.Name} board ({agent.Board.Config.Model}, HW_VER {agent.Board.Config.HwVer}) on {agent.Uri}"
                + (options.Key is null ? "" : $", key {options.Key}") + (options.Tracker is null ? "" : $", tracker {options.Tracker}")
                + $"; work directory {options.WorkDirectory}");
            try
            {
                await agent.Completion.WaitAsync(stop.Token).ConfigureAwait(false);
                context.Err.WriteLine("vta rpc-server: shut down by a client");
            }
            catch (OperationCanceledException)
            {
                context.Err.WriteLine("vta rpc-server: stopping");
            }

            return CliApp.ExitOk;
        });
        return command;
    }
}

/// <summary>
/// Ctrl+C and SIGTERM as a cancellation token for long-running commands (servers): the command line is invoked
/// synchronously, so nothing else turns those signals into a clean stop.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignal(CancellationToken also)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(also);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)];
    }

    public CancellationToken Token => _cts.Token;

    public void Dispose()
    {
        foreach (var r in _registrations)
        {
            r.Dispose();
        }

        _cts.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true; // the command ends by itself once the token fires
        _cts.Cancel();
    }
}
