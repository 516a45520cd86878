using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vta.Cli.Commands.Classify;
using Vta.Cli.Output;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Frontend.Labels;
using Vta.Hardware.Config;
using Vta.Runtime.Demos;
using Vta.Sim;

namespace Vta.Cli.Commands;

/// <summary>
/// vta classify: a photo or a WAV clip through a pre-quantized model (.tflite or .onnx) compiled for VTA (MobileNetV2 on
/// chelsea.png by default), with the top classes, the seven counters, the time taken, and the answer checked against
/// the model's reference (ONNX Runtime, a golden output, or the reference executor).
/// </summary>
internal static class ClassifyCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = $"A .tflite or .onnx model, as a path or relative to the models folder, or zoo:NAME (default: {ClassifyPipeline.DefaultModel})", HelpName = "FILE" };
        var input = new Option<string?>("--input", "--image") { Description = $"A PNG, JPEG or BMP photo, or a 16 kHz WAV clip for a keyword-spotting model (default: {ClassifyPipeline.DefaultImage} in the models folder)", HelpName = "FILE" };
        var labels = new Option<string?>("--labels") { Description = "Label file, one class per line (default: chosen from the model's class count)", HelpName = "FILE" };
        var models = CliModelsOption();
        var topk = new Option<int>("--topk") { Description = "How many classes to print", DefaultValueFactory = _ => 5, HelpName = "K" };
        topk.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--topk must be at least 1");
            }
        });
        var cpuNodes = new Option<string?>("--cpu-nodes") { Description = "Nodes to keep on the CPU, comma-separated (names as in the imported graph)", HelpName = "NAMES" };
        var requant = CliOptions.Requant();
        var device = DeviceOption.Create();
        var cpuBackend = CliOptions.CpuBackend();
        var report = CliOptions.RunReport();
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("classify", "Classify a photo or a WAV clip with a pre-quantized model compiled for VTA and run on the simulator (MobileNetV2 and chelsea.png by default)")
        {
            model, input, labels, models, topk, cpuNodes, requant, config, device, cpuBackend, report, json,
        };
        command.SetAction(parse =>
        {
            var request = new ClassifyRequest(parse.GetValue(model), parse.GetValue(input), parse.GetValue(labels), parse.GetValue(models), parse.GetValue(topk),
                CliOptions.ResolveConfig(parse, config), parse.GetValue(device),
                CliOptions.SplitNames(parse.GetValue(cpuNodes)), parse.GetValue(cpuBackend)!, parse.GetValue(report), context.Err.WriteLine, parse.GetValue(requant));
            ClassifyResult result = ClassifyErrors.Guard(() => ClassifyPipeline.Run(request));
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

    /// <summary>--models, shared with vta accuracy.</summary>
    internal static Option<string?> CliModelsOption() =>
        new("--models") { Description = "The models folder (default: $VTA_MODELS, then ./models, then ../shared/models)", HelpName = "DIR" };

    private static JsonObject ToJson(ClassifyResult r)
    {
        ClassifyModel m = r.Model;
        ClassifyOutcome x = r.Outcome;

        var seconds = new JsonObject();
        foreach (var (k, v) in r.Seconds)
        {
            seconds[k] = Math.Round(v, 4);
        }

        var o = new JsonObject
        {
            ["model"] = m.ModelPath,
            ["input"] = x.InputPath,
            ["preprocess"] = m.Input.Description,
            ["labels"] = m.LabelsPath,
            ["config"] = m.Compiled.Config.Name,
            ["requantization"] = m.Compiled.Requantization.Name(),
            ["device"] = r.DeviceName,
            ["top"] = new JsonArray([.. x.Top.Select(p => (JsonNode)new JsonObject { ["index"] = p.Index, ["label"] = p.Label, ["score"] = Math.Round(p.Score, 6) })]),
            ["counters"] = CounterOutput.Json(x.Run.Counters),
            ["tvm_published"] = TvmCountersFor(m) is { } published ? CounterOutput.Json(published) : null,
            ["seconds"] = seconds,
            ["reference"] = ReferenceJson(x.Reference),
            ["layers"] = new JsonObject { ["vta"] = m.Compiled.VtaLayers.Count, ["cpu"] = m.Compiled.Steps.OfType<CpuStep>().Count() },
            ["notes"] = new JsonArray([.. m.Compiled.Notes.Select(n => (JsonNode)n)]),
        };
        if (r.Timing is { } t)
        {
            o["cycles"] = t.Cycles;
            o["seconds_at_clock"] = t.Seconds;
        }

        return o;
    }

    /// <summary>The comparison with the reference, as classify and accuracy write it.</summary>
    internal static JsonObject ReferenceJson(ReferenceComparison c) => new()
    {
        ["source"] = c.Source,
        ["top1"] = c.ReferenceTop1.Index,
        ["top1_label"] = c.ReferenceTop1.Label,
        ["top1_equal"] = c.Top1Equal,
        ["top1_agrees"] = c.Top1Agrees,
        ["top1_ties"] = new JsonArray([.. c.ReferenceTop1Ties.Select(i => (JsonNode)i)]),
        ["top1_rank_in_ours"] = c.ReferenceTop1Rank,
        ["top5_overlap"] = c.TopKOverlap,
        ["k"] = c.K,
        ["max_abs_diff"] = Math.Round(c.MaxAbsDiff, 6),
        ["max_lsb_diff"] = c.MaxLsbDiff,
    };

    /// <summary>
    /// TVM's published counters for the same run, where there are any: zoo:resnet18 (the structure of resnet18_v1) on the
    /// default 1x16 configuration at 224×224. Counters do not depend on weight values, so synthetic weights compare.
    /// </summary>
    private static SimCounters? TvmCountersFor(ClassifyModel m) =>
        m.ModelPath.Equals("zoo:resnet18", StringComparison.OrdinalIgnoreCase) && m.Compiled.Config.Name == VtaConfig.Default.Name
            && m.Input.Type.Shape.SequenceEqual([1, 3, 224, 224])
            ? TvmPublished.ResNet18
            : null;

    /// <summary>"the same", "DIFFERENT", or, when the reference scores several classes highest, which ones and whether ours is one.</summary>
    internal static string Agreement(ReferenceComparison c)
    {
        string others = string.Join(", ", c.ReferenceTop1Ties.Where(i => i != c.ReferenceTop1.Index));
        return !c.ReferenceTied ? (c.Top1Equal ? "the same" : "DIFFERENT")
            : c.Top1Equal ? $"the same (the reference scores {others} exactly as high)"
            : c.Top1Agrees ? $"tied in the reference with {others} (the same score), ours {c.Top1.Index} is one of them"
            : "DIFFERENT";
    }

    private static string RequantText(RequantMode mode) => mode == RequantMode.Exact
        ? "exact requantization (VTA sums, the model's own rounding on the host)"
        : "requantization on VTA";

    /// <summary>"0.1602 (1 LSB)", or without the LSB part when the output has no quantization step.</summary>
    internal static string FormatError(ReferenceComparison c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.MaxAbsDiff:0.####}{(c.MaxLsbDiff is { } l ? $" ({l:0.##} LSB)" : "")}");

    private static void Print(CliContext context, ClassifyResult r)
    {
        CultureInfo ci = CultureInfo.InvariantCulture;
        ClassifyModel m = r.Model;
        ClassifyOutcome x = r.Outcome;
        CompiledModel compiled = m.Compiled;
        context.Out.Write(string.Create(ci,
            $"model:  {m.ModelPath} (input {m.Input.Type.DType.Name()}{m.Input.Type.Shape}, {m.Input.Description})\n" +
            $"input:  {x.InputPath}\n" +
            $"labels: {m.LabelsPath ?? (m.Labels is null ? "none" : "built in")}\n" +
            $"config: {compiled.Config.Name} on {r.DeviceName}: {compiled.VtaLayers.Count} layers on VTA, {compiled.Steps.OfType<CpuStep>().Count()} nodes on the CPU, "
            + $"{RequantText(compiled.Requantization)}\n"));
        var top = Tables.Create($"top {x.Top.Count}", "rank", "index", "label", "score");
        for (int i = 0; i < x.Top.Count; i++)
        {
            Prediction p = x.Top[i];
            Tables.AddRow(top, (i + 1).ToString(ci), p.Index.ToString(ci), p.Label, p.Score.ToString("0.0000", ci));
        }

        context.Console.Write(top);
        SimCounters? tvm = TvmCountersFor(m);
        var counters = CounterOutput.Table(tvm is null ? "VTA counters (the whole model)" : "VTA counters (the whole model) beside TVM's deploy_classification resnet18_v1",
            x.Run.Counters, tvm, "value");
        context.Console.Write(counters);
        string cycles = r.Timing is { } t ? string.Create(ci, $"; {t.Cycles:N0} cycles = {t.Seconds * 1e3:0.000} ms at {t.ClockMHz:0} MHz") : "";
        var s = r.Seconds;
        ReferenceComparison c = x.Reference;
        context.Out.Write(string.Create(ci,
            $"time: import {s["import"]:0.00} s, compile {s["compile"]:0.00} s, run {s["run"]:0.00} s (VTA steps {s["vta"]:0.00} s, CPU steps {s["cpu"]:0.00} s){cycles}; " +
            $"reference {s["reference"]:0.00} s\n" +
            $"reference ({c.Source}): top-1 {c.ReferenceTop1.Index} {c.ReferenceTop1.Label}, {Agreement(c)}; " +
            $"top-5 overlap {c.TopKOverlap}/{c.K}; max |diff| {FormatError(c)}\n"));
        foreach (string note in compiled.Notes)
        {
            context.Out.WriteLine($"note: {note}");
        }
    }
}
