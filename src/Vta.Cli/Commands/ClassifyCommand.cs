using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vta.Cli.Output;
using Vta.Compiler;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Frontend;
using Vta.Frontend.Images;
using Vta.Frontend.Labels;

namespace Vta.Cli.Commands;

/// <summary>
/// vta classify: a photo through a pre-quantized model compiled for VTA (MobileNetV2 on chelsea.png by default), with
/// the top classes, the seven counters, the time taken, and whether the top-1 equals the model's own arithmetic.
/// </summary>
internal static class ClassifyCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = $"A .tflite model, as a path or relative to the models folder (default: {ClassifyPipeline.DefaultModel})", HelpName = "FILE" };
        var image = new Option<string?>("--image") { Description = $"A PNG, JPEG or BMP photo (default: {ClassifyPipeline.DefaultImage} in the models folder)", HelpName = "FILE" };
        var labels = new Option<string?>("--labels") { Description = "Label file, one class per line (default: chosen from the model's class count)", HelpName = "FILE" };
        var models = new Option<string?>("--models") { Description = "The models folder (default: $VTA_MODELS, then ./models, then ../shared/models)", HelpName = "DIR" };
        var topk = new Option<int>("--topk") { Description = "How many classes to print", DefaultValueFactory = _ => 5, HelpName = "K" };
        topk.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--topk must be at least 1");
            }
        });
        var cpuNodes = new Option<string?>("--cpu-nodes") { Description = "Nodes to keep on the CPU, comma-separated (names as in the imported graph)", HelpName = "NAMES" };
        var device = DeviceOption.Create();
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("classify", "Classify a photo with a pre-quantized model compiled for VTA and run on the simulator (MobileNetV2 and chelsea.png by default)")
        {
            model, image, labels, models, topk, cpuNodes, config, device, json,
        };
        command.SetAction(parse =>
        {
            ClassifyResult result;
            try
            {
                var request = new ClassifyRequest(parse.GetValue(model), parse.GetValue(image), parse.GetValue(labels), parse.GetValue(models), parse.GetValue(topk),
                    CliOptions.ResolveConfig(parse, config), parse.GetValue(device),
                    [.. (parse.GetValue(cpuNodes) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
                result = ClassifyPipeline.Run(request);
            }
            catch (Exception e) when (e is ModelFormatException or ImageFormatException or GraphException or VtaCompileException)
            {
                context.Err.WriteLine($"vta: error: {string.Join(' ', e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}");
                return CliApp.ExitError;
            }

            if (parse.GetValue(json))
            {
                context.WriteJson(ToJson(result));
            }
            else
            {
                Print(context, result);
            }

            return CliApp.ExitOk;
        });
        return command;
    }

    private static JsonObject ToJson(ClassifyResult r)
    {
        var counters = new JsonObject();
        foreach (var (k, v) in r.Run.Counters.ToList())
        {
            counters[k] = v;
        }

        var seconds = new JsonObject();
        foreach (var (k, v) in r.Seconds)
        {
            seconds[k] = Math.Round(v, 4);
        }

        var o = new JsonObject
        {
            ["model"] = r.ModelPath,
            ["image"] = r.ImagePath,
            ["labels"] = r.LabelsPath,
            ["config"] = r.Model.Config.Name,
            ["device"] = r.DeviceName,
            ["top"] = new JsonArray([.. r.Top.Select(p => (JsonNode)new JsonObject { ["index"] = p.Index, ["label"] = p.Label, ["score"] = Math.Round(p.Score, 6) })]),
            ["counters"] = counters,
            ["seconds"] = seconds,
            ["reference"] = new JsonObject
            {
                ["top1"] = r.ReferenceTop1.Index,
                ["top1_agrees"] = r.Reference.Top1Agrees,
                ["top5_overlap"] = r.Reference.TopKOverlap,
                ["max_abs_diff"] = r.Reference.MaxAbsDiff,
                ["max_abs_score_diff"] = Math.Round(r.Reference.MaxAbsScoreDiff, 6),
            },
            ["layers"] = new JsonObject { ["vta"] = r.Model.VtaLayers.Count, ["cpu"] = r.Model.Steps.OfType<CpuStep>().Count() },
            ["notes"] = new JsonArray([.. r.Model.Notes.Select(n => (JsonNode)n)]),
        };
        if (r.Timing is { } t)
        {
            o["cycles"] = t.Cycles;
            o["seconds_at_clock"] = t.Seconds;
        }

        return o;
    }

    private static void Print(CliContext context, ClassifyResult r)
    {
        CultureInfo ci = CultureInfo.InvariantCulture;
        context.Out.Write(string.Create(ci,
            $"model:  {r.ModelPath} (input {r.InputType.DType.Name()}{r.InputType.Shape}, {r.Preprocess})\n" +
            $"image:  {r.ImagePath}\n" +
            $"labels: {r.LabelsPath ?? (r.Top.Count > 0 && r.Top[0].Label.StartsWith('#') ? "none" : "built in")}\n" +
            $"config: {r.Model.Config.Name} on {r.DeviceName}: {r.Model.VtaLayers.Count} layers on VTA, {r.Model.Steps.OfType<CpuStep>().Count()} nodes on the CPU\n"));
        var top = Tables.Create($"top {r.Top.Count}", "rank", "index", "label", "score");
        for (int i = 0; i < r.Top.Count; i++)
        {
            Prediction p = r.Top[i];
            Tables.AddRow(top, (i + 1).ToString(ci), p.Index.ToString(ci), p.Label, p.Score.ToString("0.0000", ci));
        }

        context.Console.Write(top);
        var counters = Tables.Create("VTA counters (the whole model)", "counter", "value");
        foreach (var (k, v) in r.Run.Counters.ToList())
        {
            Tables.AddRow(counters, k, v.ToString("N0", ci));
        }

        context.Console.Write(counters);
        string cycles = r.Timing is { } t ? string.Create(ci, $"; {t.Cycles:N0} cycles = {t.Seconds * 1e3:0.000} ms at {t.ClockMHz:0} MHz") : "";
        var s = r.Seconds;
        OutputComparison c = r.Reference;
        context.Out.Write(string.Create(ci,
            $"time: import {s["import"]:0.00} s, compile {s["compile"]:0.00} s, run {s["run"]:0.00} s (VTA steps {s["vta"]:0.00} s, CPU steps {s["cpu"]:0.00} s){cycles}; " +
            $"reference {s["reference"]:0.00} s\n" +
            $"reference (the model's own integer arithmetic, CPU only): top-1 {r.ReferenceTop1.Index} {r.ReferenceTop1.Label}, " +
            $"{(c.Top1Agrees ? "the same" : "DIFFERENT")}; top-5 overlap {c.TopKOverlap}/{c.K}; max |diff| {c.MaxAbsDiff} LSB ({c.MaxAbsScoreDiff:0.0000} in score)\n"));
        foreach (string note in r.Model.Notes)
        {
            context.Out.WriteLine($"note: {note}");
        }
    }
}
