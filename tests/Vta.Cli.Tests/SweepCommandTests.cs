using System.Text.Json.Nodes;
using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

public class SweepCommandTests
{
    [Fact]
    public void SweepWritesTheCsvAndPrintsJson()
    {
        using var dir = new TempDir();
        string csv = dir.File("sweep.csv");
        var (code, stdout, stderr) = Cli.Run("sweep", "resnet18.C11", "--vary", "LOG_BLOCK=3..5", "--output", csv, "--json",
            "--config", dir.Config(VtaConfig.Default));

        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!;
        Assert.Equal(3, (int)o["points"]!);
        Assert.Equal(1, (int)o["failed"]!); // LOG_BLOCK=3 cannot encode its GEMM instruction at these buffer sizes
        var rows = o["rows"]!.AsArray();
        Assert.Equal("failed", (string?)rows[0]!["status"]);
        Assert.Contains("GEMM instruction needs", (string?)rows[0]!["reason"], StringComparison.Ordinal);
        Assert.Equal("ok", (string?)rows[1]!["status"]);
        Assert.Equal(7L * 7 * 32 * 32 * 9, (long)rows[1]!["gemm_counter"]!);
        Assert.True((bool)rows[1]!["fits_xc7z020"]!);
        Assert.StartsWith("# vta-sweep/1 hash=", File.ReadAllLines(csv)[0], StringComparison.Ordinal);
        Assert.Contains("3 point(s) evaluated, 0 already in", stderr, StringComparison.Ordinal);

        // the same command again resumes: nothing left to do
        var again = Cli.Run("sweep", "resnet18.C11", "--vary", "LOG_BLOCK=3..5", "--output", csv, "--config", dir.Config(VtaConfig.Default));
        Assert.Equal(0, again.Code);
        Assert.Contains("0 point(s) evaluated, 3 already in", again.Err, StringComparison.Ordinal);
        Assert.Contains("Pareto front", again.Out, StringComparison.Ordinal);
        Assert.Contains("pynq_1x16_i8w8a32_15_15_18_17", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ShardsMergeIntoTheUnshardedFileAndReport()
    {
        using var dir = new TempDir();
        string config = dir.Config(VtaConfig.Default);
        string[] common = ["sweep", "resnet18.C11", "--vary", "LOG_BLOCK=4,5", "--vary", "LOG_WGT_BUFF_SIZE=17,18", "--config", config];
        Assert.Equal(0, Cli.Run([.. common, "--output", dir.File("all.csv")]).Code);
        Assert.Equal(0, Cli.Run([.. common, "--shard", "0/2", "--output", dir.File("s0.csv")]).Code);
        Assert.Equal(0, Cli.Run([.. common, "--shard", "1/2", "--output", dir.File("s1.csv")]).Code);
        Assert.Equal(4, File.ReadAllLines(dir.File("s1.csv")).Length); // comment, header, points 1 and 3

        var (code, _, stderr) = Cli.Run("sweep", "merge", dir.File("s1.csv"), dir.File("s0.csv"), "--output", dir.File("merged.csv"),
            "--report", dir.File("sweep.html"));
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllText(dir.File("all.csv")), File.ReadAllText(dir.File("merged.csv")));
        string html = File.ReadAllText(dir.File("sweep.html"));
        Assert.Contains("Pareto front", html, StringComparison.Ordinal);
        Assert.Contains("Best design per device", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--vary", "LOG_BLOK=3", "unknown key 'LOG_BLOK'")]
    [InlineData("--shard", "2/2", "--shard '2/2'")]
    [InlineData("--target-device", "xcvu9p", "unknown FPGA device 'xcvu9p'")]
    public void BadOptionsAreOneErrorLine(string option, string value, string message)
    {
        using var dir = new TempDir();
        string line = Cli.AssertError(Cli.Run("sweep", "resnet18.C11", option, value, "--output", dir.File("x.csv"),
            "--config", dir.Config(VtaConfig.Default)));
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherSweepsFileIsNeverAppendedTo()
    {
        using var dir = new TempDir();
        string config = dir.Config(VtaConfig.Default);
        Assert.Equal(0, Cli.Run("sweep", "resnet18.C11", "--vary", "LOG_BLOCK=4", "--output", dir.File("x.csv"), "--config", config).Code);
        string line = Cli.AssertError(Cli.Run("sweep", "resnet18.C11", "--vary", "LOG_BLOCK=5", "--output", dir.File("x.csv"), "--config", config));
        Assert.Contains("holds another sweep", line, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputIsRequiredAndAModelThatCannotBeLoadedIsAnErrorNamingIt()
    {
        var (code, _, stderr) = Cli.Run("sweep", "ops:resnet18", "--vary", "LOG_BLOCK=4");
        Assert.Equal(2, code);
        Assert.Contains("--output", stderr, StringComparison.Ordinal);
        using var dir = new TempDir();
        Assert.Contains("missing.onnx", Cli.AssertError(Cli.Run("sweep", dir.File("missing.onnx"), "--output", dir.File("x.csv"))), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.csv")));
    }

    [Fact]
    public void AWholeModelSweepsWithFailedPointsRecordedAndLogBlock5Running()
    {
        using var dir = new TempDir();
        string csv = dir.File("m.csv");
        var (code, stdout, stderr) = Cli.Run("sweep", ClassifyTestModels.PathOf(ClassifyTestModels.ResNet8), "--vary", "LOG_BLOCK=3,5", "--output", csv, "--json");

        Assert.True(code == 0, stderr);
        string[] rows = [.. File.ReadAllLines(csv).Where(l => !l.StartsWith('#')).Skip(1)];
        Assert.Equal(2, rows.Length);
        Assert.Contains(rows, r => r.Split(',')[2] == "5" && r.Contains(",ok,", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.True(r.Contains(",ok,", StringComparison.Ordinal) || r.Contains(",failed,", StringComparison.Ordinal)));
        Assert.Contains("\"cycles\"", stdout, StringComparison.Ordinal);
    }
}
