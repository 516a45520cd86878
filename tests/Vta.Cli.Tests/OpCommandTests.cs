using System.Text.Json.Nodes;
using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

public class OpCommandTests
{
    [Fact]
    public void NamedWorkloadPassesWithNecessaryGemmWork()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Cli.Run("op", "resnet18.C11", "--json", "--config", dir.Config(VtaConfig.Default));

        Assert.True(code == 0, stderr);
        var o = JsonNode.Parse(stdout)!;
        Assert.Equal("pass", (string?)o["check"]);
        // 7×7 output pixels × 32 output blocks × 32 input blocks × 9 taps
        Assert.Equal(7L * 7 * 32 * 32 * 9, (long)o["gemm_counter"]!);
        Assert.NotNull(o["tiles"]);
    }

    [Fact]
    public void ExplicitSpecWithStrideAndBatchRuns()
    {
        using var dir = new TempDir();
        var (code, stdout, _) = Cli.Run("op", "conv2d:n=2,h=9,w=11,ci=32,co=48,k=3,pad=1,stride=2", "--json", "--config",
            dir.Config(VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18)));

        Assert.Equal(0, code);
        var o = JsonNode.Parse(stdout)!;
        Assert.Equal("pass", (string?)o["check"]);
        // one batch block of 2 rows: 5×6 output pixels × 3 output blocks × 2 input blocks × 9 taps
        Assert.Equal(5L * 6 * 3 * 2 * 9, (long)o["gemm_counter"]!);
    }

    [Fact]
    public void ListNamesEveryWorkloadFamily()
    {
        var (code, stdout, _) = Cli.Run("op", "--list");
        Assert.Equal(0, code);
        foreach (string name in new[] { "resnet18.C2", "resnet18.C11", "dense.128", "dense.16x512x1008", "mobilenet.D9", "dcgan.CT3" })
        {
            Assert.Contains(name, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,co=16,k=3,pad=1,stride=1,dilation=2", "dilation")]
    [InlineData("resnet18.C99", "C99")]
    [InlineData("conv2d:n=1,h=8,w=8,ci=16,co=16", "k")]
    public void BadWorkloadIsOneClearError(string spec, string mention)
    {
        using var dir = new TempDir();
        string line = Cli.AssertError(Cli.Run("op", spec, "--config", dir.Config(VtaConfig.Default)));
        Assert.Contains(mention, line, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupConvWithHalfABlockPerGroupIsRefusedAt1x32()
    {
        using var dir = new TempDir();
        string line = Cli.AssertError(Cli.Run("op", "mobilenet.D1", "--config", dir.Config(VtaConfig.Create(logBlock: 5))));
        Assert.Contains("group", line, StringComparison.OrdinalIgnoreCase);
    }
}
