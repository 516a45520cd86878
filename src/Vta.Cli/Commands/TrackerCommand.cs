using System.CommandLine;
using Vta.Rpc.Tracker;

namespace Vta.Cli.Commands;

/// <summary>vta tracker: TVM's rpc_tracker: boards register by key, clients queue for them; runs until Ctrl+C.</summary>
internal static class TrackerCommand
{
    public static Command Create(CliContext context)
    {
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: any free port)", DefaultValueFactory = _ => 9190 };
        var timeout = new Option<double>("--heartbeat-timeout") { Description = "Seconds without a heartbeat after which a board is dropped", DefaultValueFactory = _ => 5 };
        var command = new Command("tracker", "Run a tracker: board agents register under a key (rpc-server --tracker), clients wait in a queue per key for a free board") { host, port, timeout };
        command.SetAction(async (parse, cancel) =>
        {
            var options = new TrackerOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                HeartbeatTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            };
            using var stop = new StopSignal(cancel);
            await using var tracker = await TrackerServer.StartAsync(options, stop.Token).ConfigureAwait(false);
            context.Err.WriteLine($"vta tracker: listening on {tracker.Address}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                context.Err.WriteLine("vta tracker: stopping");
            }

            return CliApp.ExitOk;
        });
        return command;
    }
}
