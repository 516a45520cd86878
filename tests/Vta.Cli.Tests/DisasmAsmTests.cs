using System.Text.Json;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Cli.Tests;

public class DisasmAsmTests
{
    public static readonly TheoryData<int, int> Configs = new() { { 4, 0 }, { 5, 0 }, { 4, 1 }, { 3, 0 } };

    [Theory]
    [MemberData(nameof(Configs))]
    public void AsmOfDisasmReproducesTheFileByteForByte(int logBlock, int logBatch)
    {
        using var dir = new TempDir();
        VtaConfig c = logBlock == 3
            ? VtaConfig.Create(logBlock: 3, logInpBuffSize: 14, logWgtBuffSize: 16, logAccBuffSize: 16)
            : VtaConfig.Create(logBlock: logBlock, logBatch: logBatch);
        string config = dir.Config(c);
        byte[] original = RandomProgram(new Random(logBlock * 10 + logBatch), c, 500);
        string bin = dir.Write("prog.bin", original);

        var (code, text, err) = Cli.Run("disasm", bin, "--config", config);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Equal(500, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        string txt = dir.Write("prog.txt", text);
        string back = dir.File("back.bin");
        var asm = Cli.Run("asm", txt, "-o", back, "--config", config);
        Assert.Equal(0, asm.Code);
        Assert.Equal(original, File.ReadAllBytes(back));
    }

    [Fact]
    public void DisasmPrintsReadableLines()
    {
        using var dir = new TempDir();
        // LOAD with pop_next (bit 4) and memory type INP = 2 at bits 7-9 (0x100), x_size 16 at bit 80 (byte 10); then FINISH.
        byte[] bytes = new byte[32];
        bytes[0] = 0x10;
        bytes[1] = 0x01;
        bytes[10] = 16;
        bytes[16] = 3;
        string bin = dir.Write("p.bin", bytes);

        var (code, text, _) = Cli.Run("disasm", bin, "--config", dir.Config(VtaConfig.Default));

        Assert.Equal(0, code);
        Assert.Equal(
            "   0: LOAD  deps=pop_next type=INP sram_base=0 dram_base=0 y_size=0 x_size=16 x_stride=0 y_pad_0=0 y_pad_1=0 x_pad_0=0 x_pad_1=0\n" +
            "   1: FINISH deps=none\n", text);
    }

    [Fact]
    public void DisasmJsonIsAnArrayOfFieldObjects()
    {
        using var dir = new TempDir();
        string config = dir.Config(VtaConfig.Default);
        string txt = dir.Write("p.txt", "ALU deps=push_next uop_end=1 iter_out=1 iter_in=1 alu_opcode=SHR use_imm=1 imm=-2\nFINISH\n");
        string bin = dir.File("p.bin");
        Assert.Equal(0, Cli.Run("asm", txt, "-o", bin, "--config", config).Code);

        var (code, stdout, _) = Cli.Run("disasm", bin, "--config", config, "--json");
        using var doc = JsonDocument.Parse(stdout);
        JsonElement alu = doc.RootElement[0];

        Assert.Equal(0, code);
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        Assert.Equal("ALU", alu.GetProperty("opcode").GetString());
        Assert.Equal("SHR", alu.GetProperty("alu_opcode").GetString());
        Assert.Equal(-2, alu.GetProperty("imm").GetInt32());
        Assert.Equal(1, alu.GetProperty("push_next_dep").GetInt32());
        Assert.Equal(0, alu.GetProperty("pop_prev_dep").GetInt32());
        Assert.Equal("FINISH", doc.RootElement[1].GetProperty("opcode").GetString());
    }

    [Fact]
    public void UopsAreListedAsCommentsSoTheOutputStillAssembles()
    {
        using var dir = new TempDir();
        string config = dir.Config(VtaConfig.Default);
        string bin = dir.Write("p.bin", [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        // dst 1, src 2 (bit 11), wgt 3 (bit 22).
        uint uop = 1u | (2u << 11) | (3u << 22);
        string uops = dir.Write("u.bin", BitConverter.GetBytes(uop));

        var (code, text, _) = Cli.Run("disasm", bin, "--uops", uops, "--config", config);

        Assert.Equal(0, code);
        Assert.Contains("#    0: UOP   dst_idx=1 src_idx=2 wgt_idx=3", text, StringComparison.Ordinal);
        string back = dir.File("back.bin");
        Assert.Equal(0, Cli.Run("asm", dir.Write("p.txt", text), "-o", back, "--config", config).Code);
        Assert.Equal(File.ReadAllBytes(bin), File.ReadAllBytes(back));
    }

    [Fact]
    public void TruncatedFileFailsNamingFileAndInstruction()
    {
        using var dir = new TempDir();
        string bin = dir.Write("cut.bin", new byte[40]);

        string line = Cli.AssertError(Cli.Run("disasm", bin, "--config", dir.Config(VtaConfig.Default)));

        Assert.Contains(bin, line, StringComparison.Ordinal);
        Assert.Contains("instruction 2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void UndecodableInstructionFailsNamingFileAndInstruction()
    {
        using var dir = new TempDir();
        byte[] bytes = new byte[48];
        bytes[16] = 6; // opcode 6 does not exist
        string bin = dir.Write("bad.bin", bytes);

        string line = Cli.AssertError(Cli.Run("disasm", bin, "--config", dir.Config(VtaConfig.Default), "--json"));

        Assert.Contains(bin, line, StringComparison.Ordinal);
        Assert.Contains("instruction 1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AsmErrorNamesFileAndLineAndWritesNothing()
    {
        using var dir = new TempDir();
        string txt = dir.Write("p.txt", "# header\nFINISH\nGEMM iter_out=16384\n");
        string bin = dir.File("p.bin");

        string line = Cli.AssertError(Cli.Run("asm", txt, "-o", bin, "--config", dir.Config(VtaConfig.Default)));

        Assert.Contains($"{txt}:3", line, StringComparison.Ordinal);
        Assert.Contains("iter_out=16384", line, StringComparison.Ordinal);
        Assert.False(File.Exists(bin));
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length); // the text and the config: no temporary left behind
    }

    [Fact]
    public void UsageErrorsExitTwo()
    {
        Cli.AssertError(Cli.Run("asm", "p.txt"), code: 2);
        Cli.AssertError(Cli.Run("frobnicate"), code: 2);
        Cli.AssertError(Cli.Run("disasm"), code: 2);
    }

    [Fact]
    public void HelpGoesToStdoutAndSucceeds()
    {
        var (code, stdout, _) = Cli.Run("disasm", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--uops", stdout, StringComparison.Ordinal);
    }

    /// <summary>Random decodable words of every kind, unused bits included.</summary>
    internal static byte[] RandomProgram(Random rng, VtaConfig c, int count)
    {
        byte[] bytes = new byte[count * 16];
        for (int i = 0; i < count; i++)
        {
            int kind = i % 5;
            var w = new UInt128((ulong)rng.NextInt64() << 1 ^ (ulong)rng.Next(2), (ulong)rng.NextInt64() << 1 ^ (ulong)rng.Next(2));
            w = (w & ~(UInt128)7) | (uint)kind;
            if (kind is 0 or 1)
            {
                w = c.Layout.Mem["memory_type"].Write(w, (ulong)rng.Next(6));
            }
            else if (kind == 4)
            {
                w = c.Layout.Alu["alu_opcode"].Write(w, (ulong)rng.Next(5));
            }

            InsnEncoder.WriteWord(bytes.AsSpan(i * 16), w);
        }

        return bytes;
    }
}
