using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vta.Cli.Output;
using Vta.Compiler.Resources;
using Vta.Compiler.Sweeps;

namespace Vta.Cli.Commands;

/// <summary>
/// vta sweep: evaluate a grid (or a seeded sample) of hardware configurations on a workload set with the timing
/// simulator and the resource model, resumably and shardably; vta sweep merge: combine shard CSVs.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(CliContext context)
    {
        var target = new Argument<string?>("TARGET")
        {
            Description = "What to evaluate: ops:resnet18, ops:mobilenet, ops:dcgan, or one workload name or spec (see 'vta op --list')",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var vary = new Option<string[]>("--vary")
        {
            Description = "KEY=v1,v2,… or KEY=a..b, repeatable: TVM's keys (LOG_BLOCK, LOG_BATCH, LOG_*_BUFF_SIZE, TARGET, …) and the timing model's AXI_WIDTH (bits), CLOCK_MHZ",
            HelpName = "KEY=VALUES",
        };
        var samples = new Option<long?>("--samples") { Description = "Evaluate a seeded random sample of N grid points instead of all", HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Seed of --samples", DefaultValueFactory = _ => 0 };
        var shard = new Option<string?>("--shard") { Description = "Evaluate only the points whose index mod N == I (for job arrays; merge the shards afterwards)", HelpName = "I/N" };
        var device = new Option<string?>("--target-device")
        {
            Description = $"Device of the utilization column and the Pareto front (default: the base TARGET's; known: {string.Join(", ", FpgaDevice.All.Select(d => d.Name))})",
            HelpName = "NAME",
        };
        var output = new Option<string>("--output") { Description = "The CSV to write; points already in it are skipped (resume)", HelpName = "FILE", Required = true };
        var report = new Option<string?>("--report") { Description = "Also write an HTML report (Pareto figure, front, best design per device)", HelpName = "FILE" };
        var jobs = new Option<int>("--jobs") { Description = "Points evaluated at once (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("sweep", "Sweep VTA hardware parameters: cycles on the timing simulator, estimated FPGA resources, Pareto front")
        {
            target, vary, samples, seed, shard, device, output, report, jobs, config, json,
        };
        command.Subcommands.Add(CreateMerge(context));
        command.SetAction((parse, cancel) =>
        {
            if (parse.GetValue(target) is not { } name)
            {
                context.Err.WriteLine("vta: error: give a TARGET (ops:resnet18, ops:mobilenet, ops:dcgan, a workload name or spec) (see 'vta sweep --help')");
                return Task.FromResult(CliApp.ExitUsage);
            }

            var (i, n) = ParseShard(parse.GetValue(shard));
            var space = new SweepSpace([.. (parse.GetValue(vary) ?? []).Select(SweepAxis.Parse)], parse.GetValue(samples), parse.GetValue(seed));
            var baseConfig = CliOptions.ResolveConfig(parse, config);
            var definition = new SweepDefinition(ResolveTarget(name, context), baseConfig, space,
                parse.GetValue(device) is { } d ? FpgaDevice.Find(d) : null);
            var runner = new SweepRunner(definition) { MaxDegreeOfParallelism = Math.Max(1, parse.GetValue(jobs)) };
            string path = parse.GetValue(output)!;
            SweepRunResult result;
            // CliApp invokes synchronously, which leaves Ctrl+C to the process: stop between points instead, so the
            // message below is printed (the file is valid either way: whole lines only).
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                interrupt.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                result = RunWithProgress(context, runner, path, i, n, interrupt.Token);
            }
            catch (OperationCanceledException)
            {
                // Every finished point is already a whole line in the file: the same command resumes.
                context.Err.WriteLine($"vta: sweep interrupted; finished points are in {path}; run the same command again to resume");
                return Task.FromResult(CliApp.ExitError);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }

            context.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sweep {definition.Hash}: {result.Evaluated} point(s) evaluated, {result.Skipped} already in {path}, {result.Rows.Count(r => !r.Ok)} failed in all; wrote {path}"));
            return Task.FromResult(Finish(context, path, parse.GetValue(report), parse.GetValue(json)));
        });
        return command;
    }

    /// <summary>A model (zoo:NAME, .onnx, .tflite; float models quantized with TVM's scheme) or an operator set.</summary>
    private static ISweepTarget ResolveTarget(string name, CliContext context)
    {
        bool model = SweepTargets.IsModelName(name);
        if (!model)
        {
            return SweepTargets.Resolve(name);
        }

        var graph = ModelPreparation.Prepare(Vta.Frontend.ModelLoader.Load(name), name, null, null, context.Err).Graph;
        return new ModelSweepTarget(name, graph);
    }

    private static Command CreateMerge(CliContext context)
    {
        var inputs = new Argument<string[]>("CSV") { Description = "Shard CSVs of one sweep (same definition hash)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output") { Description = "The merged CSV", HelpName = "FILE", Required = true };
        var report = new Option<string?>("--report") { Description = "Also write the HTML report of the merged sweep", HelpName = "FILE" };
        var json = CliOptions.Json();
        var command = new Command("merge", "Combine the shard CSVs of one sweep into one, sorted by point index") { inputs, output, report, json };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(output)!;
            var merged = SweepCsv.Merge(parse.GetValue(inputs)!, path);
            context.Err.WriteLine($"sweep {merged.Hash}: merged {merged.Rows.Count} point(s) into {path}");
            return Finish(context, path, parse.GetValue(report), parse.GetValue(json));
        });
        return command;
    }

    private static SweepRunResult RunWithProgress(CliContext context, SweepRunner runner, string path, int shard, int shards, CancellationToken cancel)
    {
        bool terminal = ReferenceEquals(context.Err, Console.Error) && !Console.IsErrorRedirected;
        if (!terminal)
        {
            return runner.Run(path, shard, shards, cancel: cancel);
        }

        // stderr is a terminal even when stdout is redirected: say so, or Spectre falls back to one line per refresh.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        SweepRunResult? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("sweep", maxValue: 1);
                var progress = new SyncProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape($"{p.Done}/{p.Total} done, {p.Failed} failed, {p.Skipped} resumed");
                });
                result = runner.Run(path, shard, shards, progress, cancel);
            });
        return result!;
    }

    private static int Finish(CliContext context, string path, string? report, bool json)
    {
        var file = SweepCsv.Read(path);
        if (report is not null)
        {
            SweepReport.Write(report, file);
            context.Err.WriteLine($"wrote {report}");
        }

        if (json)
        {
            context.WriteJson(SweepJson.From(file));
            return CliApp.ExitOk;
        }

        var table = Tables.Create($"Pareto front ({file.Rows.Count} points, {file.Rows.Count(r => !r.Ok)} failed)", "configuration", "cycles", "time (ms)", "GEMM util.", "utilization", "binding");
        foreach (var r in ParetoFront.Of(file.Rows))
        {
            Tables.AddRow(table, r.Config, r.Cycles.ToString("N0", CultureInfo.InvariantCulture), (r.Seconds * 1e3).ToString("0.###", CultureInfo.InvariantCulture),
                r.GemmUtilization.ToString("P1", CultureInfo.InvariantCulture), r.Resources!.Utilization.ToString("P1", CultureInfo.InvariantCulture), r.Resources.Binding);
        }

        context.Console.Write(table);
        return CliApp.ExitOk;
    }

    private static (int Shard, int Shards) ParseShard(string? text)
    {
        if (text is null)
        {
            return (0, 1);
        }

        string[] parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n
            ? (i, n)
            : throw new FormatException($"--shard '{text}': expected I/N with 0 <= I < N, e.g. --shard 0/4");
    }

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to a pool thread and reorder updates).</summary>
    private sealed class SyncProgress(Action<SweepProgress> report) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => report(value);
    }
}
