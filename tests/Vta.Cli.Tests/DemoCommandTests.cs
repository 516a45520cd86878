using System.Text.Json.Nodes;
using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

public class DemoCommandTests
{
    [Theory]
    [InlineData("matmul", 4096)]
    [InlineData("conv2d", 451584)]
    public void JsonHasTheSevenCountersAndAPassingCheck(string demo, long gemm)
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Cli.Run("demo", demo, "--json", "--config", dir.Config(VtaConfig.Default));

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var o = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal("pass", (string?)o["check"]);
        Assert.Equal(gemm, (long)o["gemm_counter"]!);
        foreach (string key in new[] { "inp_load_nbytes", "wgt_load_nbytes", "acc_load_nbytes", "uop_load_nbytes", "out_store_nbytes", "alu_counter" })
        {
            Assert.True(o[key] is not null, key);
        }

        Assert.Equal(gemm, (long)o["tvm_published"]!["gemm_counter"]!);
    }

    [Fact]
    public void DumpListsEveryInstructionWithTokenBalancesOnStderr()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Cli.Run("demo", "matmul", "--dump", "--json", "--config", dir.Config(VtaConfig.Default));

        Assert.Equal(0, code);
        Assert.NotNull(JsonNode.Parse(stdout)); // stdout stays pure JSON
        Assert.Contains("# stage    l2g g2l g2s s2g", stderr, StringComparison.Ordinal);
        Assert.Contains("FINISH", stderr, StringComparison.Ordinal);
        Assert.Contains("UOP", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SerialModeGivesTheSameCounters()
    {
        using var dir = new TempDir();
        string cfg = dir.Config(VtaConfig.Create(logBlock: 5));
        var normal = JsonNode.Parse(Cli.Run("demo", "conv2d", "--json", "--config", cfg).Out)!;
        var serial = JsonNode.Parse(Cli.Run("demo", "conv2d", "--json", "--serial", "--config", cfg).Out)!;

        Assert.Equal("pass", (string?)serial["check"]);
        Assert.Equal((long)normal["gemm_counter"]!, (long)serial["gemm_counter"]!);
        Assert.Equal((long)normal["inp_load_nbytes"]!, (long)serial["inp_load_nbytes"]!);
    }

    [Fact]
    public void ConfigWhereTheTutorialCannotFitIsOneClearError()
    {
        using var dir = new TempDir();
        // 2^11 bytes of INP = 128 elements: not even two padded 16×16 input blocks fit.
        string cfg = dir.Config(VtaConfig.Create(logInpBuffSize: 11));
        string line = Cli.AssertError(Cli.Run("demo", "conv2d", "--config", cfg));
        Assert.Contains("INP", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TimingDeviceAddsCyclesAndUtilizationWithTheSameCounters()
    {
        using var dir = new TempDir();
        string cfg = dir.Config(VtaConfig.Default);
        var sim = JsonNode.Parse(Cli.Run("demo", "conv2d", "--json", "--config", cfg).Out)!;
        var timing = JsonNode.Parse(Cli.Run("demo", "conv2d", "--json", "--device", "timing", "--config", cfg).Out)!;

        Assert.Equal("pass", (string?)timing["check"]);
        foreach (string key in new[] { "inp_load_nbytes", "wgt_load_nbytes", "uop_load_nbytes", "out_store_nbytes", "gemm_counter", "alu_counter" })
        {
            Assert.Equal((long)sim[key]!, (long)timing[key]!);
        }

        long cycles = (long)timing["cycles"]!;
        double utilization = (double)timing["gemm_utilization"]!;
        Assert.True(cycles >= 451584, $"{cycles} cycles cannot hold 451,584 GEMM uops at one per cycle");
        Assert.InRange(utilization, 0.5, 1.0);
        Assert.Null(sim["cycles"]);
    }
}
