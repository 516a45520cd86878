using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Vta.Cli.Output;
using Vta.Compiler;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Sweeps;
using Vta.Compiler.Tiling;
using Vta.Compiler.Tuning;
using Vta.Frontend;
using Vta.Hardware.Config;

namespace Vta.Cli.Commands;

/// <summary>
/// vta tune: times a seeded sample of every VTA layer's tilings on the timing simulator and writes the fastest as tuning
/// records (for 'vta compile --tuning-records'); vta tune buffering: each layer serial, with one and with two ACC buffers.
/// </summary>
internal static class TuneCommand
{
    private static readonly CultureInfo s_ci = CultureInfo.InvariantCulture;

    public static Command Create(CliContext context)
    {
        var model = ModelArgument();
        var trials = new Option<int>("--trials") { Description = "Tilings timed per layer at most (the default policy's choice is always one)", DefaultValueFactory = _ => 32, HelpName = "N" };
        trials.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--trials must be at least 1");
            }
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the sample of each layer's tilings", DefaultValueFactory = _ => 0, HelpName = "S" };
        var output = new Option<string>("--output") { Description = "The tuning records to write (JSON)", HelpName = "FILE", Required = true };
        var jobs = new Option<int>("--jobs") { Description = "Tilings timed at once (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var requant = CliOptions.Requant();
        var command = new Command("tune", "Tune each VTA layer's tiling on the timing simulator and write tuning records")
        {
            model, trials, seed, output, jobs, requant, config, json,
        };
        command.Subcommands.Add(CreateBuffering(context));
        command.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            string path = parse.GetValue(output)!;
            // Refuse an unwritable place before minutes of timing, not after.
            string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"{path}: folder '{folder}' does not exist");
            }

            var c = CliOptions.ResolveConfig(parse, config);
            // A model's layers as compile makes them (the same --requant), so that the records match its layers.
            var tasks = Tasks(name, c, CliOptions.RequantModeOf(parse.GetValue(requant), quantizedHere: false));
            var options = new TuningOptions { Trials = parse.GetValue(trials), Seed = parse.GetValue(seed), MaxDegreeOfParallelism = Math.Max(1, parse.GetValue(jobs)) };
            var result = RunWithProgress(context, new TilingTuner(c, options), tasks);
            result.ToRecords(name).Save(path);
            context.Err.WriteLine(string.Create(s_ci,
                $"tuned {result.Layers.Count} layer shape(s) of {name} for {c.Model}, {result.Layers.Sum(l => l.Evaluated)} tilings timed; wrote {path}"));
            if (parse.GetValue(json))
            {
                context.WriteJson(ToJson(name, path, result));
            }
            else
            {
                Print(context, name, result);
            }

            return CliApp.ExitOk;
        });
        return command;
    }

    private static Argument<string> ModelArgument() => new("MODEL")
    {
        Description = "A pre-quantized .tflite or .onnx model, zoo:NAME, or an operator set as in 'vta sweep' (ops:resnet18, ops:mobilenet, ops:dcgan, a workload name or spec)",
    };

    private static Command CreateBuffering(CliContext context)
    {
        var model = ModelArgument();
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var requant = CliOptions.Requant();
        var command = new Command("buffering", "GEMM utilization of each layer serial, with one ACC buffer and with two (double buffering)") { model, requant, config, json };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            var c = CliOptions.ResolveConfig(parse, config);
            var rows = BufferingStudy.Run(Tasks(name, c, CliOptions.RequantModeOf(parse.GetValue(requant), quantizedHere: false)), c);
            if (parse.GetValue(json))
            {
                context.WriteJson(BufferingJson(name, c, rows));
                return CliApp.ExitOk;
            }

            var table = Tables.Create($"{name} on {c.Model}: GEMM utilization", "layer", "count", "serial", "1 ACC buffer", "2 ACC buffers", "tiling (2 buffers)");
            foreach (var r in rows)
            {
                Tables.AddRow(table, Label(r.Task), r.Task.Count.ToString(s_ci), Util(r.Serial), Util(r.SingleTiming),
                    r.DoubleTiming is { } d ? Util(d) : "does not fit", Short(r.Double ?? r.Single));
            }

            Tables.AddRow(table, "network", rows.Sum(r => r.Task.Count).ToString(s_ci), Pct(Total(rows, r => r.Serial)), Pct(Total(rows, r => r.SingleTiming)),
                Pct(Total(rows, r => r.DoubleTiming ?? r.SingleTiming)), "");
            context.Console.Write(table);
            return CliApp.ExitOk;
        });
        return command;
    }

    /// <summary>A model's VTA layers (compiled with the default policy) or an operator set's conv-family workloads.</summary>
    private static IReadOnlyList<TuningTask> Tasks(string name, VtaConfig config, RequantMode requant)
    {
        bool isModel = SweepTargets.IsModelName(name);
        if (!isModel)
        {
            return SweepTargets.Resolve(name) is WorkloadSetTarget set
                ? TuningTasks.FromWorkloads(set.Workloads, config)
                : throw new FormatException($"'{name}' is not a model or an operator set");
        }

        Graph graph;
        try
        {
            graph = ModelLoader.Load(name);
        }
        catch (Exception e) when (e is ModelFormatException or GraphException)
        {
            throw new InvalidDataException(e.Message, e);
        }

        var tasks = TuningTasks.FromModel(ModelCompiler.Compile(graph, config, new ModelCompileOptions { Requantization = requant }));
        return tasks.Count > 0
            ? tasks
            : throw new InvalidDataException($"{name}: no layer runs on VTA at {config.Model}, so there is nothing to tune "
                + "(a float model must be quantized first; tune a pre-quantized .tflite/.onnx or an operator set such as ops:resnet18)");
    }

    private static TuningResult RunWithProgress(CliContext context, TilingTuner tuner, IReadOnlyList<TuningTask> tasks)
    {
        bool terminal = ReferenceEquals(context.Err, Console.Error) && !Console.IsErrorRedirected;
        if (!terminal)
        {
            return tuner.Tune(tasks);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        TuningResult? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("tune", maxValue: 1);
                result = tuner.Tune(tasks, new SyncProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape($"{p.Done}/{p.Total} tilings timed ({p.Layer})");
                }));
            });
        return result!;
    }

    private static void Print(CliContext context, string name, TuningResult result)
    {
        var table = Tables.Create($"{name} on {result.Config.Model}: cycles on the timing simulator ({result.Options.Trials} trials per layer, seed {result.Options.Seed})",
            "layer", "count", "tilings", "default cycles", "best cycles", "saved", "GEMM util.", "best tiling");
        foreach (var l in result.Layers)
        {
            Tables.AddRow(table, Label(l.Task), l.Task.Count.ToString(s_ci), string.Create(s_ci, $"{l.Evaluated - l.Failed}/{l.SpaceSize}"),
                l.Default.Cycles.ToString("N0", s_ci), l.Best.Cycles.ToString("N0", s_ci), Pct(l.Saved),
                $"{Util(l.Default)} → {Util(l.Best)}", l.BestTiling == l.DefaultTiling ? "the default" : Short(l.BestTiling));
        }

        Tables.AddRow(table, "network", result.Layers.Sum(l => l.Task.Count).ToString(s_ci), "", result.DefaultCycles.ToString("N0", s_ci),
            result.BestCycles.ToString("N0", s_ci), Pct(result.Saved), $"{Pct(result.DefaultUtilization)} → {Pct(result.BestUtilization)}", "");
        context.Console.Write(table);
    }

    private static JsonObject ToJson(string name, string path, TuningResult result) => new()
    {
        ["model"] = name,
        ["config"] = result.Config.Model,
        ["fingerprint"] = ConfigFingerprint.Of(result.Config),
        ["records"] = path,
        ["trials"] = result.Options.Trials,
        ["seed"] = result.Options.Seed,
        ["default_cycles"] = result.DefaultCycles,
        ["best_cycles"] = result.BestCycles,
        ["saved"] = Math.Round(result.Saved, 6),
        ["default_gemm_utilization"] = Math.Round(result.DefaultUtilization, 6),
        ["best_gemm_utilization"] = Math.Round(result.BestUtilization, 6),
        ["layers"] = new JsonArray([.. result.Layers.Select(l => (JsonNode)new JsonObject
        {
            ["key"] = l.Task.Key,
            ["workload"] = l.Task.Workload,
            ["layers"] = new JsonArray([.. l.Task.Layers.Select(n => (JsonNode)n)]),
            ["count"] = l.Task.Count,
            ["space"] = l.SpaceSize,
            ["evaluated"] = l.Evaluated,
            ["failed"] = l.Failed,
            ["default_cycles"] = l.Default.Cycles,
            ["best_cycles"] = l.Best.Cycles,
            ["saved"] = Math.Round(l.Saved, 6),
            ["default_gemm_utilization"] = Math.Round(l.Default.GemmUtilization, 6),
            ["best_gemm_utilization"] = Math.Round(l.Best.GemmUtilization, 6),
            ["default_tiling"] = l.DefaultTiling.ToString(),
            ["best_tiling"] = l.BestTiling.ToString(),
        })]),
    };

    private static JsonObject BufferingJson(string name, VtaConfig config, IReadOnlyList<BufferingRow> rows) => new()
    {
        ["model"] = name,
        ["config"] = config.Model,
        ["serial_gemm_utilization"] = Math.Round(Total(rows, r => r.Serial), 6),
        ["single_gemm_utilization"] = Math.Round(Total(rows, r => r.SingleTiming), 6),
        ["double_gemm_utilization"] = Math.Round(Total(rows, r => r.DoubleTiming ?? r.SingleTiming), 6),
        ["layers"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["layer"] = Label(r.Task),
            ["count"] = r.Task.Count,
            ["serial_cycles"] = r.Serial.Cycles,
            ["serial_gemm_utilization"] = Math.Round(r.Serial.GemmUtilization, 6),
            ["single_cycles"] = r.SingleTiming.Cycles,
            ["single_gemm_utilization"] = Math.Round(r.SingleTiming.GemmUtilization, 6),
            ["single_tiling"] = r.Single.ToString(),
            ["double_cycles"] = r.DoubleTiming?.Cycles,
            ["double_gemm_utilization"] = r.DoubleTiming is { } d ? Math.Round(d.GemmUtilization, 6) : null,
            ["double_tiling"] = r.Double?.ToString(),
        })]),
    };

    /// <summary>Useful GEMM cycles over all cycles of the network (each layer times its count).</summary>
    private static double Total(IReadOnlyList<BufferingRow> rows, Func<BufferingRow, PlanTiming> pick)
    {
        long cycles = rows.Sum(r => pick(r).Cycles * r.Task.Count);
        return cycles == 0 ? 0 : (double)rows.Sum(r => pick(r).GemmUsefulCycles * r.Task.Count) / cycles;
    }

    private static string Label(TuningTask t) => t.Layers.Count == 1 ? t.Layers[0] : $"{t.Layers[0]} (+{t.Layers.Count - 1})";

    /// <summary>One table cell: batch, group and output blocks, rows × cols, input blocks per chunk, loop order, ACC buffers.</summary>
    private static string Short(ConvTiling t) => string.Create(s_ci,
        $"{t.BatchBlocks}n {t.Groups}g {t.OutBlocks}o {t.Rows}×{t.Cols} {t.InBlocks}i {(t.Order == LoopOrder.WeightsOuter ? "w-outer" : "i-outer")} acc{t.AccBuffers}");

    private static string Util(PlanTiming t) => Pct(t.GemmUtilization);

    private static string Pct(double v) => v.ToString("P1", s_ci);

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to a pool thread and reorder updates).</summary>
    private sealed class SyncProgress(Action<TuningProgress> report) : IProgress<TuningProgress>
    {
        public void Report(TuningProgress value) => report(value);
    }
}
