using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Vta.Compiler.Graphs;
using Vta.Frontend;
using Vta.Frontend.Images;
using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

/// <summary>One run of 'vta accuracy --json' over the whole models folder, shared by the tests below (it runs every model).</summary>
public class AccuracyRunFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public AccuracyRunFixture()
        : this([])
    {
    }

    protected AccuracyRunFixture(string[] extra)
    {
        (Code, Stdout, Stderr) = Cli.Run(["accuracy", "--models", ClassifyTestModels.Folder, "--json", "--config", _dir.Config(VtaConfig.Default), .. extra]);
        Rows = Code is 0 or 1 && Stdout.Length > 0 ? [.. JsonNode.Parse(Stdout)!.AsArray().Select(r => r!.AsObject())] : [];
    }

    public int Code { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public IReadOnlyList<JsonObject> Rows { get; }

    public JsonObject Row(string model, string input) => Rows.Single(r => (string?)r["model"] == model && (string?)r["input"] == input);

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same run with every pre-quantized layer requantized on VTA (--requant vta).</summary>
public sealed class VtaRequantAccuracyRunFixture() : AccuracyRunFixture(["--requant", "vta"]);

/// <summary>vta accuracy: a row per model × input, every top-1 equal to the model's reference, exit 0.</summary>
public class ClassifyAccuracyTests(AccuracyRunFixture run) : IClassFixture<AccuracyRunFixture>
{
    /// <summary>
    /// By default (--requant auto) every model here takes the exact form and gives the model's own output, so every top-1
    /// is strictly the reference's, and where the reference is the model's own arithmetic (ONNX Runtime, the reference
    /// executor; not ArmNN's golden files) the outputs are equal to the bit.
    /// </summary>
    [Fact]
    public void EveryTopOneEqualsTheReferenceAndExactModelsEqualItsOutputs()
    {
        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        Assert.All(run.Rows, r =>
        {
            Assert.Null((string?)r["error"]);
            JsonNode reference = r["reference"]!;
            Assert.True((bool)reference["top1_equal"]!, r.ToJsonString());
            Assert.Equal((int)reference["top1"]!, (int)r["top1"]!["index"]!);
            Assert.Equal("exact", (string?)r["requantization"]);
            if (!((string)reference["source"]!).StartsWith("golden", StringComparison.Ordinal))
            {
                Assert.Equal(0, (double)reference["max_abs_diff"]!);
            }
        });
    }

    /// <summary>The expected pairs come from the folder itself: photos for models whose input is an image, WAV clips for MFCC inputs.</summary>
    [Fact]
    public void HasARowPerModelAndApplicableInput()
    {
        string folder = ClassifyTestModels.Folder;
        List<string> files = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))];
        string[] photos = [.. files.Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".bmp", StringComparison.Ordinal) || f.EndsWith(".jpg", StringComparison.Ordinal))];
        string[] clips = [.. files.Where(f => f.EndsWith(".wav", StringComparison.Ordinal))];
        var expected = new List<(string, string)>();
        foreach (string model in files.Where(f => f.EndsWith(".onnx", StringComparison.Ordinal) || f.EndsWith(".tflite", StringComparison.Ordinal)))
        {
            Graph graph = ModelLoader.Load(Path.Combine(folder, model));
            Shape input = graph.TypeOf(graph.Inputs[0]).Shape;
            bool audio = input.Rank == 4 && input[3] == 1;
            expected.AddRange((audio ? clips : photos).Select(i => (model, i)));
        }

        Assert.True(photos.Length >= 3 && clips.Length >= 1 && expected.Count >= 10, $"{photos.Length} photos, {clips.Length} clips, {expected.Count} pairs");
        Assert.Equal(expected.Order(), run.Rows.Select(r => ((string)r["model"]!, (string)r["input"]!)).Order());
    }

    [Fact]
    public void OnnxRowsAreCheckedAgainstOnnxRuntime()
    {
        JsonObject chelsea = run.Row(ClassifyTestModels.Onnx, "images/chelsea.png");
        Assert.Equal("onnxruntime", (string?)chelsea["reference"]!["source"]);
        Assert.Equal("Egyptian cat", (string?)chelsea["top1"]!["label"]);
        Assert.All(run.Rows.Where(r => ((string)r["model"]!).EndsWith(".onnx", StringComparison.Ordinal)),
            r => Assert.Equal("onnxruntime", (string?)r["reference"]!["source"]));
    }

    [Fact]
    public void KeywordSpottingRowSaysUnknown()
    {
        JsonObject row = run.Row(ClassifyTestModels.Kws, ClassifyTestModels.Marvin);
        Assert.Equal("Unknown", (string?)row["top1"]!["label"]);
        Assert.Equal("Unknown", (string?)row["reference"]!["top1_label"]);
    }

    /// <summary>The golden pairs are used exactly where the preprocessed input equals the golden input (golden/README.md).</summary>
    [Fact]
    public void GoldenOutputsAreTheReferenceWhereTheirInputsMatch()
    {
        Assert.StartsWith("golden mnv2q_resized_cat", (string?)run.Row("imagenet/mobilenet_v2_1.0_224_quant.tflite", "images/resized_cat.bmp")["reference"]!["source"],
            StringComparison.Ordinal);
        Assert.StartsWith("golden ic_resnet8_chelsea32", (string?)run.Row(ClassifyTestModels.ResNet8, "images/chelsea.png")["reference"]!["source"], StringComparison.Ordinal);
        Assert.Equal("reference executor", (string?)run.Row(ClassifyTestModels.ResNet8, "images/cat.bmp")["reference"]!["source"]);
        // ArmNN's reference backend against our VTA form: within a few LSB on ResNet-8 (README: ±1 LSB between int8 kernels).
        Assert.True((double)run.Row(ClassifyTestModels.ResNet8, "images/chelsea.png")["reference"]!["max_lsb_diff"]! <= 2);
    }
}

/// <summary>
/// vta accuracy --requant vta: every pre-quantized layer requantizes on VTA's ALU, a few steps from the model's rounding.
/// Every top-1 must still agree with the reference, where our top-1 may be a class the reference scores exactly as high
/// as its argmax (a tie on the quantized output step; ONNX Runtime's argmax takes the lower index). That tie is checked
/// against ONNX Runtime itself, not against what accuracy reported.
/// </summary>
public class VtaRequantAccuracyTests(VtaRequantAccuracyRunFixture run) : IClassFixture<VtaRequantAccuracyRunFixture>
{
    [Fact]
    public void EveryTopOneAgreesWithTheReferenceOrItsExactTieAndTheExitCodeSaysSo()
    {
        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        Assert.All(run.Rows, r =>
        {
            Assert.Null((string?)r["error"]);
            Assert.Equal("vta", (string?)r["requantization"]);
            JsonNode reference = r["reference"]!;
            int ours = (int)r["top1"]!["index"]!, theirs = (int)reference["top1"]!;
            Assert.True((bool)reference["top1_agrees"]!, r.ToJsonString());
            Assert.Equal(ours == theirs, (bool)reference["top1_equal"]!);
            if (ours != theirs)
            {
                string model = (string)r["model"]!;
                Assert.EndsWith(".onnx", model, StringComparison.Ordinal);
                float[] logits = OnnxRuntimeLogits(ClassifyTestModels.PathOf(model), ClassifyTestModels.PathOf((string)r["input"]!));
                Assert.Equal(logits.Max(), logits[theirs]);
                Assert.Equal(logits[theirs], logits[ours]);
                Assert.Contains(ours, reference["top1_ties"]!.AsArray().Select(i => (int)i!));
            }
        });
    }

    /// <summary>ONNX Runtime's output for an ImageNet photo, with the exact u8u8 GEMM (as classify's reference).</summary>
    private static float[] OnnxRuntimeLogits(string model, string image)
    {
        float[] pixels = Preprocess.ImageNetFloatNchw(224).Apply(ImageDecoder.Load(image)).ToFloat32();
        using var options = new SessionOptions();
        options.AddSessionConfigEntry("session.x64quantprecision", "1");
        using var session = new InferenceSession(model, options);
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, 224, 224]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [session.InputNames[0]], [value], [session.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
