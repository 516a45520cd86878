using System.Reflection;
using System.Text.Json.Nodes;
using Vta.Frontend;
using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

/// <summary>vta classify on the shared models: MobileNetV2 by default, ResNet-8 with --model, and bad input (more in ClassifyInputTests).</summary>
public class ClassifyCommandTests
{
    private static readonly string s_models = ModelSearchPath.Create(baseDirectory: typeof(ClassifyCommandTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value).RequireDirectory();

    [Fact]
    public void DefaultRunFindsACatInChelseaWithMobileNetV2()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Cli.Run("classify", "--models", s_models, "--json", "--config", dir.Config(VtaConfig.Default));

        Assert.True(code == 0, stderr);
        JsonObject o = JsonNode.Parse(stdout)!.AsObject();
        Assert.EndsWith("mobilenet_v2_1.0_224_quant.tflite", (string?)o["model"], StringComparison.Ordinal);
        Assert.EndsWith("chelsea.png", (string?)o["input"], StringComparison.Ordinal);
        JsonArray top = o["top"]!.AsArray();
        Assert.Equal(5, top.Count);
        // The 1001-label file has 'background' first: the cats are 282 tabby … 286 Egyptian cat.
        int index = (int)top[0]!["index"]!;
        Assert.InRange(index, 282, 286);
        Assert.Contains("cat", (string?)top[0]!["label"], StringComparison.OrdinalIgnoreCase);
        Assert.True((double)top[0]!["score"]! > (double)top[1]!["score"]!);
        Assert.Equal(["inp_load_nbytes", "wgt_load_nbytes", "acc_load_nbytes", "uop_load_nbytes", "out_store_nbytes", "gemm_counter", "alu_counter"],
            o["counters"]!.AsObject().Select(p => p.Key));
        Assert.True((long)o["counters"]!["gemm_counter"]! > 1_000_000);
        // No golden output for chelsea: the reference is the model's own integer arithmetic on the imported graph.
        Assert.Equal("reference executor", (string?)o["reference"]!["source"]);
        Assert.True((bool)o["reference"]!["top1_equal"]!);
        Assert.Equal(index, (int)o["reference"]!["top1"]!);
        // Measured on chelsea: tiger cat 0.496 against the model's own 0.578 (21 LSB of 1/256): the VTA form's weight rounding.
        double lsb = (double)o["reference"]!["max_lsb_diff"]!;
        Assert.True(lsb <= 24, $"max |diff| {lsb} LSB");
        Assert.Equal(lsb / 256, (double)o["reference"]!["max_abs_diff"]!, 5);
        foreach (string key in new[] { "import", "compile", "input", "run", "reference" })
        {
            Assert.True((double)o["seconds"]![key]! >= 0, key);
        }

        Assert.Equal(36, (int)o["layers"]!["vta"]!);
        Assert.Empty(o["notes"]!.AsArray());
    }

    [Fact]
    public void ResNet8SaysCatAndPrintsTopCountersAndTheReferenceLine()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Cli.Run("classify", "--models", s_models, "--model", "mlperf-tiny/pretrainedResnet_quant.tflite", "--topk", "3",
            "--config", dir.Config(VtaConfig.Default));

        Assert.True(code == 0, stderr);
        Assert.Matches(@"│\s*1\s*│\s*3\s*│\s*cat\s*│\s*0\.98", stdout);
        Assert.Contains("gemm_counter", stdout, StringComparison.Ordinal);
        Assert.Contains("10 layers on VTA", stdout, StringComparison.Ordinal);
        // chelsea through ResNet-8's preprocessing is byte for byte the golden input, so the golden output is the reference.
        Assert.Contains("reference (golden ic_resnet8_chelsea32 (ArmNN)): top-1 3 cat, the same", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ForcedCpuNodesLeaveVtaAndUnknownOnesAreAnError()
    {
        using var dir = new TempDir();
        string cfg = dir.Config(VtaConfig.Default);
        var (code, stdout, stderr) = Cli.Run("classify", "--models", s_models, "--model", "mlperf-tiny/pretrainedResnet_quant.tflite", "--json",
            "--cpu-nodes", "conv_2d_0,fully_connected_14", "--config", cfg);
        Assert.True(code == 0, stderr);
        JsonObject o = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(8, (int)o["layers"]!["vta"]!);
        Assert.Equal(3, (int)o["top"]![0]!["index"]!);

        string line = Cli.AssertError(Cli.Run("classify", "--models", s_models, "--model", "mlperf-tiny/pretrainedResnet_quant.tflite",
            "--cpu-nodes", "conv_9", "--config", cfg));
        Assert.Contains("conv_9", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingImageIsOneLineError()
    {
        using var dir = new TempDir();
        string line = Cli.AssertError(Cli.Run("classify", "--models", s_models, "--image", dir.File("nothere.png"), "--config", dir.Config(VtaConfig.Default)));
        Assert.Contains("nothere.png", line, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsThatDoNotMatchTheClassCountAreOneLineError()
    {
        using var dir = new TempDir();
        string labels = dir.Write("three.txt", "a\nb\nc\n");
        string line = Cli.AssertError(Cli.Run("classify", "--models", s_models, "--model", "mlperf-tiny/pretrainedResnet_quant.tflite", "--labels", labels,
            "--config", dir.Config(VtaConfig.Default)));
        Assert.Contains("three.txt", line, StringComparison.Ordinal);
        Assert.Contains("10 classes", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptModelIsOneLineError()
    {
        using var dir = new TempDir();
        byte[] garbage = [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))];
        string model = dir.Write("broken.tflite", garbage);
        string line = Cli.AssertError(Cli.Run("classify", "--models", s_models, "--model", model, "--config", dir.Config(VtaConfig.Default)));
        Assert.Contains("broken.tflite", line, StringComparison.Ordinal);
    }
}
