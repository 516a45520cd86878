using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Vta.Cli.Commands.Classify;
using Vta.Cli.Output;

namespace Vta.Cli.Commands;

/// <summary>
/// vta accuracy: every model in the models folder on every photo or clip its input takes, each answer checked against
/// the model's reference (ONNX Runtime, golden outputs, or the reference executor); exit 1 when any top-1 differs.
/// A command of its own rather than 'classify --all': it takes a folder, not a model and an input, prints one row per
/// pair instead of one detailed report, and its exit code says whether every top-1 agreed.
/// </summary>
internal static class AccuracyCommand
{
    public static Command Create(CliContext context)
    {
        var models = ClassifyCommand.CliModelsOption();
        var only = new Option<string[]>("--model")
        {
            Description = "Only these models (paths relative to the models folder, files, or zoo:NAME); repeat for more (default: every .onnx and .tflite in the folder)",
            HelpName = "FILE",
            AllowMultipleArgumentsPerToken = false,
        };
        var device = DeviceOption.Create();
        var requant = CliOptions.Requant();
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("accuracy", "Classify every photo and clip in the models folder with every model on VTA, and compare each top-1 with the model's reference")
        {
            models, only, requant, config, device, json,
        };
        command.SetAction(parse =>
        {
            var files = new ModelFiles(parse.GetValue(models));
            string folder = files.RequireFolder();
            string[] chosen = parse.GetValue(only) is { Length: > 0 } m ? m : [.. AccuracyCatalog.Models(folder)];
            var runner = new AccuracyRunner(files, CliOptions.ResolveConfig(parse, config), parse.GetValue(device), parse.GetValue(requant));
            IReadOnlyList<AccuracyRow> rows = RunWithProgress(context, runner, chosen, AccuracyCatalog.Inputs(folder));
            if (parse.GetValue(json))
            {
                context.WriteJson(new JsonArray([.. rows.Select(r => (JsonNode)ToJson(r))]));
            }
            else
            {
                Print(context, rows);
            }

            return rows.All(r => r.Ok) ? CliApp.ExitOk : CliApp.ExitError;
        });
        return command;
    }

    private static IReadOnlyList<AccuracyRow> RunWithProgress(CliContext context, AccuracyRunner runner, string[] models, IReadOnlyList<string> inputs)
    {
        bool terminal = ReferenceEquals(context.Err, Console.Error) && !Console.IsErrorRedirected;
        if (!terminal)
        {
            return runner.Run(models, inputs);
        }

        // Progress goes to stderr so that stdout stays the table or JSON.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        IReadOnlyList<AccuracyRow>? rows = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("accuracy", maxValue: 1);
                rows = runner.Run(models, inputs, p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape($"{p.Done}/{p.Total} {p.Current}");
                });
            });
        return rows!;
    }

    private static JsonObject ToJson(AccuracyRow r) => new()
    {
        ["model"] = r.Model,
        ["input"] = r.Input,
        ["top1"] = r.Top1 is { } p ? new JsonObject { ["index"] = p.Index, ["label"] = p.Label, ["score"] = Math.Round(p.Score, 6) } : null,
        ["reference"] = r.Reference is { } c ? ClassifyCommand.ReferenceJson(c) : null,
        ["requantization"] = r.Requantization,
        ["ok"] = r.Ok,
        ["seconds"] = Math.Round(r.Seconds, 3),
        ["error"] = r.Error,
    };

    private static void Print(CliContext context, IReadOnlyList<AccuracyRow> rows)
    {
        CultureInfo ci = CultureInfo.InvariantCulture;
        var table = Tables.Create(string.Create(ci, $"accuracy: {rows.Count(r => r.Ok)} of {rows.Count} top-1 agree with the reference{Ties(rows)}"),
            "model", "input", "our top-1", "reference top-1", "equal?", "top-5 overlap", "max error", "reference");
        foreach (AccuracyRow r in rows)
        {
            if (r.Reference is not { } c)
            {
                Tables.AddRow(table, r.Model, r.Input, "error (below)", "", "NO", "", "", "");
                continue;
            }

            Tables.AddRow(table, r.Model, r.Input, Name(c.Top1), Name(c.ReferenceTop1), !c.Top1Agrees ? "NO" : c.Top1Equal ? "yes" : "tie",
                string.Create(ci, $"{c.TopKOverlap}/{c.K}"), ClassifyCommand.FormatError(c), c.Source);
        }

        context.Console.Write(table);
        foreach (AccuracyRow r in rows.Where(r => r.Error is not null))
        {
            context.Err.WriteLine($"vta: error: {r.Error}");
        }
    }

    /// <summary>", 1 of them a class the reference ties with its top-1" when some agreement is by a tie.</summary>
    private static string Ties(IReadOnlyList<AccuracyRow> rows)
    {
        int ties = rows.Count(r => r.Reference is { Top1Agrees: true, Top1Equal: false });
        return ties == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({ties} by a class the reference scores exactly as high as its own top-1)");
    }

    private static string Name(Frontend.Labels.Prediction p) => string.Create(CultureInfo.InvariantCulture, $"{p.Index} {p.Label} ({p.Score:0.000})");
}
