using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Vta.Cli.Output;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Compiler.Programs;
using Vta.Compiler.Reports;
using Vta.Frontend.Npz;
using Vta.Hardware.IO;
using Vta.Rpc.Client;
using Vta.Runtime.Devices;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Cli.Commands;

/// <summary>
/// vta run (after tvmc run): a package on a device with inputs from an .npz (or seeded random data), outputs to an .npz,
/// TVM's seven counters and the time; on the timing simulator also cycles and GEMM utilization, per layer.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var package = new Argument<string>("PACKAGE") { Description = "A package written by 'vta compile'" };
        var inputs = new Option<string?>("--inputs") { Description = "An .npz with one array per model input (by name); default: seeded random data", HelpName = "FILE" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the outputs to this .npz", HelpName = "FILE" };
        var seed = new Option<int>("--seed") { Description = "Seed of the random inputs when --inputs is not given", DefaultValueFactory = _ => 0 };
        var stats = new Option<string?>("--stats") { Description = "Write the counters and per-layer figures as JSON to this file", HelpName = "FILE" };
        var report = CliOptions.RunReport();
        var device = DeviceOption.Create();
        var cpuBackend = CliOptions.CpuBackend();
        var json = CliOptions.Json();
        var command = new Command("run", "Run a compiled package on a device: outputs, TVM's counters, time (and cycles on the timing simulator)")
        {
            package, inputs, output, seed, stats, report, device, cpuBackend, json,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(package)!;
            VtaPackage pkg = VtaPackage.Load(path);
            Dictionary<string, Tensor> feeds = Feeds(pkg.Graph, parse.GetValue(inputs), parse.GetValue(seed));
            ModelRunResult result;
            string deviceName;
            TimingReport? timing;
            string? spec = parse.GetValue(device);
            if (spec is not null && RpcAddress.IsRpc(spec))
            {
                // A board over RPC: the package is uploaded once and the agent runs it whole (CPU nodes too) in one call.
                using var remote = RemotePackageRunner.Connect(spec, path, pkg, new RemoteDeviceOptions
                {
                    Queued = ahead => context.Err.WriteLine($"vta: waiting for {spec}: {ahead} client(s) ahead"),
                });
                RemoteRunResult run = remote.Run(feeds, parse.GetValue(cpuBackend)!);
                foreach (string note in run.Notes)
                {
                    context.Err.WriteLine($"{note} (on {remote.Name})");
                }

                (result, deviceName, timing) = (run.Result, remote.Name, run.Timing);
            }
            else
            {
                ICpuBackend backend = CpuBackends.Create(parse.GetValue(cpuBackend)!, context.Err.WriteLine);
                IPreparedCpu cpu = CpuBackends.PrepareFor(pkg.Graph, backend);
                using IVtaDevice dev = DeviceOption.Open(spec, pkg.Config, context.Err);
                using (var bound = new BoundProgram(pkg.Program, pkg.Graph, dev))
                {
                    result = RunWithProgress(context, bound, feeds, new ModelRunOptions { PreparedCpu = cpu });
                }

                (deviceName, timing) = (dev.Name, (dev as TimingDevice)?.TotalReport);
            }

            if (parse.GetValue(report) is { } reportPath)
            {
                RunReportWriter.Write(RunReport.Build(pkg.Info.Model, pkg.Program, result, deviceName), reportPath);
                context.Err.WriteLine($"vta: wrote {reportPath}");
            }

            if (parse.GetValue(output) is { } outPath)
            {
                AtomicFile.Write(outPath, s => NpzFile.Write(s, pkg.Graph.Outputs.Select(o => NpzTensors.ToNpy(o, result.Outputs[o]))));
            }

            JsonObject summary = Json(path, pkg, deviceName, result, timing);
            if (parse.GetValue(stats) is { } statsPath)
            {
                AtomicFile.WriteAllText(statsPath, summary.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            }

            if (parse.GetValue(json))
            {
                context.WriteJson(summary);
            }
            else
            {
                Print(context, path, pkg, deviceName, result, timing);
            }

            return CliApp.ExitOk;
        });
        return command;
    }

    /// <summary>The run, with a progress bar of steps on stderr when it is a terminal (a big model on the timing simulator takes a while).</summary>
    private static ModelRunResult RunWithProgress(CliContext context, BoundProgram bound, Dictionary<string, Tensor> feeds, ModelRunOptions options)
    {
        if (!ReferenceEquals(context.Err, Console.Error) || Console.IsErrorRedirected)
        {
            return bound.Run(feeds, options);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ModelRunResult? result = null;
        console.Progress().AutoClear(true).Start(ctx =>
        {
            ProgressTask task = ctx.AddTask("running", maxValue: bound.Program.Steps.Count);
            result = bound.Run(feeds, options with
            {
                Progress = new Progress<RunProgress>(p =>
                {
                    task.Value = p.Done;
                    task.Description = Markup.Escape(p.Step);
                }),
            });
        });
        return result!;
    }

    private static Dictionary<string, Tensor> Feeds(Graph graph, string? npz, int seed)
    {
        if (npz is null)
        {
            var random = new Random(seed);
            return graph.Inputs.ToDictionary(i => i, i => NpzTensors.Random(graph.TypeOf(i), random));
        }

        IReadOnlyList<NpyArray> arrays = NpzFile.Load(npz);
        var feeds = new Dictionary<string, Tensor>();
        foreach (string input in graph.Inputs)
        {
            NpyArray array = arrays.FirstOrDefault(a => a.Name == input) ?? (graph.Inputs.Count == 1 && arrays.Count == 1 ? arrays[0] : null)
                ?? throw new NpyFormatException(npz, $"no array named '{input}' (the model's inputs: {string.Join(", ", graph.Inputs)}; the file has: {string.Join(", ", arrays.Select(a => a.Name))})");
            feeds[input] = NpzTensors.ToTensor(array, graph.TypeOf(input), npz);
        }

        return feeds;
    }

    private static JsonObject Json(string path, VtaPackage pkg, string device, ModelRunResult result, TimingReport? timing)
    {
        var json = new JsonObject
        {
            ["package"] = path,
            ["model"] = pkg.Info.Model,
            ["config"] = pkg.Config.Name,
            ["device"] = device,
            ["seconds"] = result.Seconds,
            ["counters"] = CounterOutput.Json(result.Counters),
            ["outputs"] = new JsonArray([.. pkg.Graph.Outputs.Select(o => new JsonObject
            {
                ["name"] = o,
                ["dtype"] = result.Outputs[o].DType.Name(),
                ["shape"] = new JsonArray([.. result.Outputs[o].Shape.Select(d => JsonValue.Create(d))]),
            })]),
        };
        if (timing is not null)
        {
            json["cycles"] = timing.Cycles;
            json["seconds_at_clock"] = timing.Seconds;
            json["clock_mhz"] = timing.ClockMHz;
            json["gemm_utilization"] = timing.GemmUtilization;
        }

        json["layers"] = new JsonArray([.. result.Layers.Select(l =>
        {
            var layer = new JsonObject
            {
                ["name"] = l.Name,
                ["kind"] = l.Kind,
                ["target"] = l.Target == ExecutionTarget.Vta ? "vta" : "cpu",
                ["seconds"] = l.Seconds,
                ["counters"] = CounterOutput.Json(l.Counters),
            };
            if (l.Timing is { } t)
            {
                layer["cycles"] = t.Cycles;
                layer["gemm_utilization"] = t.GemmUtilization;
            }

            return (JsonNode)layer;
        })]);
        return json;
    }

    private static void Print(CliContext context, string path, VtaPackage pkg, string device, ModelRunResult result, TimingReport? timing)
    {
        var outputs = Tables.Create($"{path} on {device} ({pkg.Config.Name})", "output", "dtype", "shape", "argmax", "min", "max");
        foreach (string o in pkg.Graph.Outputs)
        {
            float[] v = result.Outputs[o].DType == DataType.Float32 ? result.Outputs[o].As<float>() : [.. result.Outputs[o].ToInt32Values().Select(x => (float)x)];
            int argmax = v.Length == 0 ? -1 : Array.IndexOf(v, v.Max());
            Tables.AddRow(outputs, o, result.Outputs[o].DType.Name(), result.Outputs[o].Shape.ToString(), N(argmax), F(v.Min()), F(v.Max()));
        }

        context.Console.Write(outputs);
        var rows = result.Counters.ToList().Select(kv => (kv.Key, N(kv.Value))).ToList();
        rows.Add(("host seconds (VTA steps / CPU steps)", string.Create(CultureInfo.InvariantCulture, $"{result.Seconds:F3} ({result.VtaSeconds:F3} / {result.CpuSeconds:F3})")));
        if (timing is not null)
        {
            rows.Add(("cycles", N(timing.Cycles)));
            rows.Add(("time at the clock", string.Create(CultureInfo.InvariantCulture, $"{timing.Seconds * 1e3:F3} ms at {timing.ClockMHz:F0} MHz")));
            rows.Add(("GEMM utilization", string.Create(CultureInfo.InvariantCulture, $"{timing.GemmUtilization:P1}")));
        }

        context.Console.Write(Tables.KeyValue("counters (TVM's names)", rows));
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(float v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
