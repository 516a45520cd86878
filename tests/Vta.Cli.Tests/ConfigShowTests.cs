using System.Text.Json;
using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

public class ConfigShowTests
{
    [Fact]
    public void JsonHasTheDerivedValuesOfThePynqDefaults()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Cli.Run("config", "show", "--config", dir.Config(VtaConfig.Default), "--json");

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        JsonElement root = doc.RootElement;
        JsonElement mem = root.GetProperty("memory");
        int Get(string memory, string key) => mem.GetProperty(memory).GetProperty(key).GetInt32();

        // Depths: 32 KiB / 4 B, 32 KiB / 16 B, 256 KiB / 256 B, 128 KiB / 64 B.
        Assert.Equal([8192, 2048, 1024, 2048], new[] { "uop", "inp", "wgt", "acc" }.Select(m => Get(m, "depth")));
        Assert.Equal(2048, Get("out", "depth"));
        // Elements: 1×16 int8, 16×16 int8, 1×16 int32, 1×16 int8.
        Assert.Equal([16, 256, 64, 16], new[] { "inp", "wgt", "acc", "out" }.Select(m => Get(m, "elem_bytes")));
        Assert.Equal(32768, Get("out", "buffer_bytes"));
        // 64-bit AXI bus on pynq: 128/64, 2048/64, 512/64.
        Assert.Equal([2, 32, 8, 2], new[] { "inp", "wgt", "acc", "out" }.Select(m => Get(m, "axi_ratio")));
        Assert.Equal("1x16_i8w8a32_15_15_18_17", root.GetProperty("name").GetString());
        Assert.Equal("pynq_1x16_i8w8a32_15_15_18_17", root.GetProperty("model").GetString());
        Assert.Equal("pynq/0.0.2/1x16_i8w8a32_15_15_18_17.bit", root.GetProperty("bitstream").GetProperty("path").GetString());
        Assert.Equal(16, root.GetProperty("shape").GetProperty("block_out").GetInt32());
        Assert.Equal(0x43C00000L, root.GetProperty("target").GetProperty("registers").GetProperty("fetch").GetInt64());
        Assert.Equal(100, root.GetProperty("target").GetProperty("clock_mhz").GetInt32());
        Assert.False(root.GetProperty("target").GetProperty("has_alu_mul").GetBoolean());
    }

    [Fact]
    public void JsonLayoutGivesEachFieldsBitRange()
    {
        using var dir = new TempDir();
        var (_, stdout, _) = Cli.Run("config", "show", "--config", dir.Config(VtaConfig.Default), "--json");
        using var doc = JsonDocument.Parse(stdout);
        JsonElement layout = doc.RootElement.GetProperty("layout");

        (int Lo, int Hi) Field(string kind, string name)
        {
            JsonElement f = layout.GetProperty(kind).EnumerateArray().Single(e => e.GetProperty("field").GetString() == name);
            return (f.GetProperty("lo").GetInt32(), f.GetProperty("hi").GetInt32());
        }

        // Bit positions from TVM's hw_spec.h at the default configuration.
        Assert.Equal((26, 57), Field("load_store", "dram_base"));
        Assert.Equal((58, 63), Field("load_store", "(pad)"));
        Assert.Equal((21, 34), Field("gemm", "uop_end"));
        Assert.Equal((118, 127), Field("gemm", "wgt_factor_in"));
        Assert.Equal((112, 127), Field("alu", "imm"));
        Assert.Equal((11, 21), Field("uop", "src_idx"));
    }

    [Fact]
    public void AnotherConfigurationChangesTheDerivedValues()
    {
        using var dir = new TempDir();
        var (code, stdout, _) = Cli.Run("config", "show", "--config", dir.Config(VtaConfig.Create(target: "ultra96", logBlock: 5)), "--json");
        using var doc = JsonDocument.Parse(stdout);
        JsonElement mem = doc.RootElement.GetProperty("memory");

        Assert.Equal(0, code);
        // 32×32 int8 weights = 1024 B; 256 KiB / 1024 B = 256; ultra96 has a 128-bit bus: 8192 / 128 = 64.
        Assert.Equal(1024, mem.GetProperty("wgt").GetProperty("elem_bytes").GetInt32());
        Assert.Equal(256, mem.GetProperty("wgt").GetProperty("depth").GetInt32());
        Assert.Equal(64, mem.GetProperty("wgt").GetProperty("axi_ratio").GetInt32());
        Assert.Equal("ultra96_1x32_i8w8a32_15_15_18_17", doc.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void TablesShowNamesDepthsAndLayout()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Cli.Run("config", "show", "--config", dir.Config(VtaConfig.Default));

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        foreach (string expected in new[] { "pynq_1x16_i8w8a32_15_15_18_17", "xc7z020clg484-1", "0x43C02000", "dram_base", "26-57", "8192", "262144" })
        {
            Assert.Contains(expected, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("missing-key", "LOG_BLOCK")]
    [InlineData("out-of-range", "LOG_BLOCK")]
    [InlineData("not-an-integer", "LOG_BATCH")]
    [InlineData("malformed", null)]
    public void BadConfigFilesFailWithOneLineNamingFileAndKey(string kind, string? key)
    {
        using var dir = new TempDir();
        string json = VtaConfigLoader.ToJson(VtaConfig.Default);
        json = kind switch
        {
            "missing-key" => string.Join('\n', json.Split('\n').Where(l => !l.Contains("\"LOG_BLOCK\"", StringComparison.Ordinal))),
            "out-of-range" => json.Replace("\"LOG_BLOCK\" : 4", "\"LOG_BLOCK\" : 9", StringComparison.Ordinal),
            "not-an-integer" => json.Replace("\"LOG_BATCH\" : 0", "\"LOG_BATCH\" : \"zero\"", StringComparison.Ordinal),
            _ => json[..^3],
        };
        Assert.NotEqual(VtaConfigLoader.ToJson(VtaConfig.Default), json);
        string path = dir.Write("bad.json", json);

        string line = Cli.AssertError(Cli.Run("config", "show", "--config", path, "--json"));

        Assert.Contains(path, line, StringComparison.Ordinal);
        if (key is not null)
        {
            Assert.Contains(key, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MissingConfigFileFails()
    {
        using var dir = new TempDir();
        string path = dir.File("nope.json");

        string line = Cli.AssertError(Cli.Run("config", "show", "--config", path));

        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("not found", line, StringComparison.Ordinal);
    }
}
