using System.Text.Json.Nodes;
using Vta.Compiler.Tuning;
using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

public class TuneCommandTests
{
    /// <summary>
    /// A model is tuned as compile builds it (the same --requant, auto by default), so every VTA layer compile makes has a
    /// record: ResNet-8's exact layers store three planes, a different key from the on-VTA form's.
    /// </summary>
    [Theory]
    [InlineData("auto", Compiler.Models.RequantMode.Auto)]
    [InlineData("vta", Compiler.Models.RequantMode.Vta)]
    public void AModelsRecordsMatchTheLayersCompileMakes(string requant, Compiler.Models.RequantMode mode)
    {
        using var dir = new TempDir();
        string model = ClassifyTestModels.PathOf(ClassifyTestModels.ResNet8);
        string records = dir.File("r.json");
        var (code, _, stderr) = Cli.Run("tune", model, "--trials", "1", "--requant", requant, "--output", records, "--config", dir.Config(VtaConfig.Default));
        Assert.True(code == 0, stderr);

        HashSet<string> keys = [.. TuningRecords.Load(records).Records.Select(r => r.Key)];
        var compiled = Compiler.Models.ModelCompiler.Compile(Frontend.ModelLoader.Load(model), VtaConfig.Default,
            new Compiler.Models.ModelCompileOptions { Requantization = mode });
        Assert.Equal(10, compiled.VtaLayers.Count);
        Assert.All(compiled.VtaLayers, l => Assert.Contains(WorkloadKey.Of(l.Plan.Problem, l.Plan.Epilogue), keys));
        Assert.Equal(mode == Compiler.Models.RequantMode.Auto, keys.All(k => k.EndsWith(" planes3", StringComparison.Ordinal)));
    }

    [Fact]
    public void TuneWritesRecordsAndPrintsJson()
    {
        using var dir = new TempDir();
        string records = dir.File("records.json");
        string spec = "conv2d:n=1,h=14,w=14,ci=32,co=32,k=3,pad=1,stride=1";
        var (code, stdout, stderr) = Cli.Run("tune", spec, "--trials", "4", "--seed", "2", "--output", records, "--json",
            "--config", dir.Config(VtaConfig.Default));

        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!;
        Assert.Equal(VtaConfig.Default.Model, (string?)o["config"]);
        var layer = Assert.Single(o["layers"]!.AsArray())!;
        Assert.Equal(4, (int)layer["evaluated"]!);
        Assert.True((long)layer["best_cycles"]! <= (long)layer["default_cycles"]!);
        Assert.Contains("wrote " + records, stderr, StringComparison.Ordinal);

        var loaded = TuningRecords.Load(records);
        var record = Assert.Single(loaded.Records);
        Assert.Equal((string?)layer["key"], record.Key);
        Assert.Equal((long)layer["best_cycles"]!, record.Cycles);
        Assert.Equal(spec, record.Workload);
        Assert.Equal(ConfigFingerprint.Of(VtaConfig.Default), loaded.Fingerprint);
        loaded.PolicyFor(VtaConfig.Default); // the file is usable at the configuration it was tuned for
    }

    [Fact]
    public void TuneAndBufferingPrintTablesForAnOperatorSet()
    {
        using var dir = new TempDir();
        string config = dir.Config(VtaConfig.Default);
        var (code, stdout, stderr) = Cli.Run("tune", "resnet18.C11", "--trials", "2", "--output", dir.File("r.json"), "--config", config);
        Assert.True(code == 0, stderr);
        Assert.Contains("resnet18.C11", stdout, StringComparison.Ordinal);
        Assert.Contains("default cycles", stdout, StringComparison.Ordinal);
        Assert.Contains("network", stdout, StringComparison.Ordinal);

        var buffering = Cli.Run("tune", "buffering", "resnet18.C11", "--json", "--config", config);
        Assert.True(buffering.Code == 0, buffering.Err);
        var o = JsonNode.Parse(buffering.Out)!;
        var row = Assert.Single(o["layers"]!.AsArray())!;
        // Overlap never hurts: serial ≤ one ACC buffer ≤ two (C11 fits two at the default configuration).
        Assert.True((double)row["serial_gemm_utilization"]! <= (double)row["single_gemm_utilization"]!);
        Assert.True((double)row["single_gemm_utilization"]! <= (double)row["double_gemm_utilization"]!);
    }

    [Theory]
    [InlineData("missing-model.tflite", "missing-model.tflite")]
    [InlineData("ops:nothing", "unknown workload set 'ops:nothing'")]
    public void BadModelsAreOneErrorLineNamingThem(string model, string message)
    {
        using var dir = new TempDir();
        string line = Cli.AssertError(Cli.Run("tune", model, "--output", dir.File("r.json"), "--config", dir.Config(VtaConfig.Default)));
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.json")));
    }

    [Fact]
    public void AnOutputInAMissingFolderIsOneErrorLineNamingIt()
    {
        using var dir = new TempDir();
        string output = Path.Combine(dir.Path, "no-such-folder", "r.json");
        string line = Cli.AssertError(Cli.Run("tune", "resnet18.C11", "--trials", "1", "--output", output, "--config", dir.Config(VtaConfig.Default)));
        Assert.Contains(output, line, StringComparison.Ordinal);
    }

    [Fact]
    public void TrialsBelowOneAndAMissingOutputAreUsageErrors()
    {
        Assert.Contains("--trials must be at least 1", Cli.AssertError(Cli.Run("tune", "resnet18.C11", "--trials", "0", "--output", "x.json"), code: 2), StringComparison.Ordinal);
        Assert.Contains("--output", Cli.AssertError(Cli.Run("tune", "resnet18.C11"), code: 2), StringComparison.Ordinal);
    }
}
