using Vta.Hardware.Config;

namespace Vta.Hardware.Tests;

public class ConfigTests
{
    [Fact]
    public void DefaultDerivedQuantitiesMatchTvm()
    {
        VtaConfig c = VtaConfig.Default;
        Assert.Equal((1, 16, 16), (c.Batch, c.BlockIn, c.BlockOut));
        Assert.Equal((16, 256, 64, 16), (c.InpElemBytes, c.WgtElemBytes, c.AccElemBytes, c.OutElemBytes));
        Assert.Equal((8192, 2048, 1024, 2048, 2048), (c.UopBuffDepth, c.InpBuffDepth, c.WgtBuffDepth, c.AccBuffDepth, c.OutBuffDepth));
        Assert.Equal((13, 11, 10, 11), (c.LogUopBuffDepth, c.LogInpBuffDepth, c.LogWgtBuffDepth, c.LogAccBuffDepth));
        Assert.Equal(15, c.LogOutBuffSize);
        Assert.Equal(32 * 1024, c.OutBuffBytes);
        Assert.Equal((2, 32, 8, 2), (c.InpAxiRatio, c.WgtAxiRatio, c.AccAxiRatio, c.OutAxiRatio));
        Assert.Equal(64, c.BusWidthBits);
        Assert.Equal(100, c.ClockMHz);
        Assert.Equal("1x16_i8w8a32_15_15_18_17", c.Name);
        Assert.Equal("pynq_1x16_i8w8a32_15_15_18_17", c.Model);
        Assert.Equal("pynq/0.0.2/1x16_i8w8a32_15_15_18_17.bit", c.BitstreamPath);
        Assert.Equal("pynq/0_0_2/1x16_i8w8a32_15_15_18_17.bit", c.BitstreamCachePath);
        Assert.False(c.HasAluMul);
    }

    [Fact]
    public void DefaultLayoutMatchesHwSpec()
    {
        var l = VtaConfig.Default.Layout;
        Assert.Equal((26, 32), (l.Mem["dram_base"].Start, l.Mem["dram_base"].Width));
        Assert.Equal(64, l.Mem["y_size"].Start);
        Assert.Equal(124, l.Mem["x_pad_1"].Start);
        Assert.Equal((8, 13), (l.Gemm["uop_bgn"].Start, l.Gemm["uop_bgn"].Width));
        Assert.Equal((21, 14), (l.Gemm["uop_end"].Start, l.Gemm["uop_end"].Width));
        Assert.Equal(49, l.Gemm["iter_in"].Start);
        Assert.Equal(64, l.Gemm["dst_factor_out"].Start);
        Assert.Equal((118, 10), (l.Gemm["wgt_factor_in"].Start, l.Gemm["wgt_factor_in"].Width));
        Assert.Equal(108, l.Alu["alu_opcode"].Start);
        Assert.Equal(111, l.Alu["use_imm"].Start);
        Assert.Equal((112, 16), (l.Alu["imm"].Start, l.Alu["imm"].Width));
        Assert.Equal((0, 11, 22, 10), (l.Uop["dst_idx"].Start, l.Uop["src_idx"].Start, l.Uop["wgt_idx"].Start, l.Uop["wgt_idx"].Width));
    }

    [Fact]
    public void ShippedFileLoadsAsDefault()
    {
        string path = FindRepoFile("hw-config/vta_config.json");
        VtaConfig c = VtaConfigLoader.Load(path);
        Assert.Equal(VtaConfig.Default, c);
        Assert.Equal(c, VtaConfigLoader.Parse(VtaConfigLoader.ToJson(c)));
    }

    [Fact]
    public void OtherTargetsTakeTheirClockAndBus()
    {
        VtaConfig u = VtaConfig.Create(target: "ultra96");
        Assert.Equal((333, 128), (u.ClockMHz, u.BusWidthBits));
        Assert.Equal("ultra96_1x16_i8w8a32_15_15_18_17", u.Model);
        Assert.True(VtaConfig.Create(target: "sim").HasAluMul);
    }

    [Theory]
    [InlineData("LOG_BLOCK", "9", "LOG_BLOCK")]
    [InlineData("LOG_BATCH", "-1", "LOG_BATCH")]
    [InlineData("TARGET", "\"zynq\"", "TARGET")]
    [InlineData("LOG_INP_WIDTH", "2", "LOG_INP_WIDTH")]
    [InlineData("LOG_ACC_BUFF_SIZE", "18", "LOG_ACC_BUFF_SIZE")] // uop dst/src grow to 12 bits: 34 > 32
    [InlineData("LOG_WGT_BUFF_SIZE", "20", "LOG_WGT_BUFF_SIZE")] // uop wgt grows to 12 bits
    [InlineData("LOG_UOP_BUFF_SIZE", "\"x\"", "LOG_UOP_BUFF_SIZE")]
    public void InvalidValuesNameTheKeyAndFile(string key, string value, string expectedKey)
    {
        string json = VtaConfigLoader.ToJson(VtaConfig.Default).Replace($"\"{key}\" : ", $"\"{key}\" : {value}, \"_x\":", StringComparison.Ordinal);
        json = System.Text.RegularExpressions.Regex.Replace(json, "\"_x\":[^,\\n]*,?", "");
        var e = Assert.Throws<VtaConfigException>(() => VtaConfigLoader.Parse(json, "my.json"));
        Assert.Contains(expectedKey, e.Key);
        Assert.StartsWith("my.json: ", e.Message);
        Assert.Equal($"my.json: {e.Key}: {e.Reason}", e.Message); // the key is named once
    }

    [Fact]
    public void MissingUnknownAndMalformedAreRefused()
    {
        Assert.Equal("LOG_BLOCK", Assert.Throws<VtaConfigException>(() => VtaConfigLoader.Parse(VtaConfigLoader.ToJson(VtaConfig.Default).Replace("  \"LOG_BLOCK\" : 4,\n", "", StringComparison.Ordinal))).Key);
        Assert.Equal("LOG_BLOKC", Assert.Throws<VtaConfigException>(() => VtaConfigLoader.Parse("{\"LOG_BLOKC\": 4}")).Key);
        Assert.Contains("line 1", Assert.Throws<VtaConfigException>(() => VtaConfigLoader.Parse("{\"TARGET\": ")).Message);
        Assert.Contains("file not found", Assert.Throws<VtaConfigException>(() => VtaConfigLoader.Load("/nonexistent/vta_config.json")).Message);
    }

    [Fact]
    public void WithOverridesAndValidates()
    {
        VtaConfig c = VtaConfig.Default.With(new Dictionary<string, string> { ["LOG_BLOCK"] = "5" });
        Assert.Equal("1x32_i8w8a32_15_15_18_17", c.Name);
        Assert.Equal((10, 8, 10), (c.LogInpBuffDepth, c.LogWgtBuffDepth, c.LogAccBuffDepth));
        Assert.Throws<VtaConfigException>(() => VtaConfig.Default.With(new Dictionary<string, string> { ["LOG_BLOCK"] = "7" }));
    }

    internal static string FindRepoFile(string relative)
    {
        string root = typeof(ConfigTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        return Path.Combine(root, relative);
    }
}
