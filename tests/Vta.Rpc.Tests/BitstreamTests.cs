using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;

namespace Vta.Rpc.Tests;

/// <summary>Xilinx .bit headers, the simulator container, and the checked-in catalogue.</summary>
public sealed class BitstreamTests
{
    [Fact]
    public void A_Xilinx_header_built_from_the_format_description_parses()
    {
        byte[] data = XilinxBits.Data(16);
        byte[] file = XilinxBits.Build("vta_wrapper;UserID=0XFFFFFFFF;Version=2020.1", "7z020clg484", "2020/06/01", "12:34:56", data);
        var h = XilinxBitHeader.Parse(file);
        Assert.Equal("vta_wrapper", h.DesignName);
        Assert.Equal("2020.1", h.ToolVersion);
        Assert.Equal("0XFFFFFFFF", h.DesignAttributes["UserID"]);
        Assert.Equal("7z020clg484", h.Part);
        Assert.Equal("2020/06/01", h.Date);
        Assert.Equal("12:34:56", h.Time);
        Assert.Equal(data.Length, h.DataLength);
        Assert.Equal(file.Length - data.Length, h.DataOffset);

        var image = BitstreamImage.Inspect(file);
        Assert.Equal(BitstreamKind.Xilinx, image.Kind);
        Assert.Null(image.Config);
        Assert.Contains("part 7z020clg484", image.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_bin_for_the_FPGA_manager_is_the_data_with_each_word_byte_swapped()
    {
        byte[] data = XilinxBits.Data(4);
        byte[] file = XilinxBits.Build("d", "p", "c", "t", data);
        byte[] bin = XilinxBitHeader.Parse(file).ToBin(file);
        Assert.Equal(data.Length, bin.Length);
        Assert.Equal(new byte[] { 0x66, 0x55, 0x99, 0xaa }, bin[8..12]);
        Assert.Equal(data, XilinxBitHeader.Parse(file).ToBin(file, swap32: false));
    }

    [Theory]
    [InlineData(0, "preamble")]
    [InlineData(20, "truncated")]
    [InlineData(-3, "announces")]
    public void Broken_bit_files_are_refused(int cut, string expected)
    {
        byte[] file = XilinxBits.Build("d", "p", "c", "t", XilinxBits.Data(4));
        byte[] broken = cut == 0 ? [0x00, 0x08, .. file[2..]] : cut > 0 ? file[..cut] : file[..^(-cut)];
        var e = Assert.Throws<BitstreamException>(() => XilinxBitHeader.Parse(broken));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_simulator_container_carries_its_configuration_and_refuses_edits()
    {
        var config = VtaConfig.Create(target: "sim", logAccBuffSize: 16);
        byte[] file = SimBitstream.Create(config);
        Assert.True(file.Length < 512);
        Assert.Equal(config, SimBitstream.Read(file));
        Assert.Equal(BitstreamKind.Sim, BitstreamImage.Inspect(file).Kind);

        file[20] ^= 1;
        Assert.Contains("SHA-256", Assert.Throws<BitstreamException>(() => SimBitstream.Read(file)).Message, StringComparison.Ordinal);
        Assert.Contains("not a bitstream", Assert.Throws<BitstreamException>(() => BitstreamImage.Inspect("hello"u8)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checked_in_catalogue_matches_its_manifest()
    {
        var manifest = BitstreamManifest.Load(Path.Combine(TestAgents.RepoRoot, "bitstreams"));
        Assert.NotEmpty(manifest.Entries);
        foreach (var entry in manifest.Entries)
        {
            Assert.Equal(entry.Config.BitstreamPath, entry.Path);
            byte[] bytes = manifest.ReadVerified(entry);
            var image = BitstreamImage.Inspect(bytes);
            Assert.Equal(entry.Kind, image.Kind);
            if (image.Config is { } carried)
            {
                Assert.Equal(entry.Config, carried);
            }
        }

        var forDefault = manifest.FindFor(VtaConfigLoader.Load(Path.Combine(TestAgents.RepoRoot, "hw-config", "vta_config.json")), [BitstreamKind.Sim]);
        Assert.Single(forDefault);
    }

    [Fact]
    public void A_manifest_records_added_files_and_catches_a_changed_one()
    {
        using var dir = new TempDir();
        var manifest = BitstreamManifest.Load(dir.Path);
        var config = VtaConfig.Create(logBatch: 1);
        var entry = manifest.Add(SimBitstream.Create(config), config);
        Assert.Equal("pynq/0.0.2/2x16_i8w8a32_15_15_18_17.bit", entry.Path);

        var reloaded = BitstreamManifest.Load(dir.Path);
        var found = Assert.Single(reloaded.FindFor(config));
        Assert.Equal(entry, found);
        Assert.Empty(reloaded.FindFor(VtaConfig.Default));

        File.WriteAllBytes(reloaded.FullPath(found), SimBitstream.Create(VtaConfig.Default));
        Assert.Throws<BitstreamException>(() => reloaded.ReadVerified(found));
        Assert.Throws<BitstreamException>(() => manifest.Add(SimBitstream.Create(VtaConfig.Default), config));
    }
}
