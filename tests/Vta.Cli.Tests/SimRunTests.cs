using System.Text.Json;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Cli.Tests;

/// <summary>vta sim run on small hand-built programs whose outputs and counters are computed here by hand.</summary>
public class SimRunTests
{
    private static readonly VtaConfig s_c = VtaConfig.Default;
    private static readonly InsnEncoder s_enc = new(s_c);

    private static MemInsn Load(MemoryType t, int sram, uint dram, int x, DepFlags deps = DepFlags.None) =>
        new(Opcode.Load, deps, t, sram, dram, 1, x, x);

    private static MemInsn Store(int sram, uint dram, int x, DepFlags deps) => new(Opcode.Store, deps, MemoryType.Out, sram, dram, 1, x, x);

    private static AluInsn Alu(AluOpcode op, short imm, int iterOut, DepFlags deps = DepFlags.None) =>
        new(deps, false, 0, 1, iterOut, 1, 1, 0, 1, 0, op, true, imm);

    private static byte[] Ints(IEnumerable<int> values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    [Theory]
    [InlineData("fsim")]
    [InlineData("hardware")]
    public void AluAddProgramGivesHandComputedOutputAndCounters(string semantics)
    {
        using var dir = new TempDir();
        var rng = new Random(42);
        int[] acc = Enumerable.Range(0, 3 * 16).Select(_ => rng.Next(int.MinValue, int.MaxValue)).ToArray();
        byte[] program = s_enc.EncodeAll(
        [
            Load(MemoryType.Uop, 0, 1, 1),                         // uop 1 of the file → uop SRAM 0
            Load(MemoryType.Acc, 0, 1, 2),                         // ACC elements 1, 2 → ACC SRAM 0, 1
            Alu(AluOpcode.Add, -5, 2, DepFlags.PushNext),          // ACC[i] += -5 for i = 0, 1
            Store(0, 1, 2, DepFlags.PopPrev | DepFlags.PushPrev),  // → OUT elements 1, 2
            new FinishInsn(DepFlags.PopNext),
        ]);
        byte[] uops = s_enc.EncodeUops([new Uop(7, 7, 0), new Uop(0, 0, 0)]);
        string output = dir.File("out.bin");

        var (code, stdout, stderr) = Cli.Run("sim", "run", "--insns", dir.Write("p.bin", program), "--uops", dir.Write("u.bin", uops),
            "--acc", dir.Write("acc.bin", Ints(acc)), "--out", output, "--out-elems", "4", "--semantics", semantics,
            "--config", dir.Config(s_c), "--json");

        Assert.True(code == 0, stderr);
        byte[] expected = new byte[4 * 16];
        for (int e = 1; e <= 2; e++)
        {
            for (int lane = 0; lane < 16; lane++)
            {
                expected[(e * 16) + lane] = (byte)unchecked(acc[(e * 16) + lane] - 5);
            }
        }

        Assert.Equal(expected, File.ReadAllBytes(output));
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(
            ["inp_load_nbytes", "wgt_load_nbytes", "acc_load_nbytes", "uop_load_nbytes", "out_store_nbytes", "gemm_counter", "alu_counter", "instructions", "seconds"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        long Counter(string name) => doc.RootElement.GetProperty(name).GetInt64();
        Assert.Equal([0L, 0, 2 * 64, 4, 2 * 16, 0, 2, 5], new[] { "inp_load_nbytes", "wgt_load_nbytes", "acc_load_nbytes", "uop_load_nbytes",
            "out_store_nbytes", "gemm_counter", "alu_counter", "instructions" }.Select(Counter));
        Assert.True(doc.RootElement.GetProperty("seconds").GetDouble() >= 0);
    }

    [Fact]
    public void GemmProgramReadsEachPortFromItsOwnFile()
    {
        using var dir = new TempDir();
        var rng = new Random(7);
        byte[] inp = new byte[2 * 16];
        byte[] wgt = new byte[2 * 256];
        rng.NextBytes(inp);
        rng.NextBytes(wgt);
        byte[] program = s_enc.EncodeAll(
        [
            Load(MemoryType.Uop, 0, 1, 1),
            Load(MemoryType.Inp, 0, 1, 1),
            Load(MemoryType.Wgt, 0, 1, 1, DepFlags.PushNext),
            new GemmInsn(DepFlags.PopPrev, true, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0),
            new GemmInsn(DepFlags.None, false, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0),
            new AluInsn(DepFlags.PushNext, false, 0, 1, 1, 1, 0, 0, 0, 0, AluOpcode.Shr, true, 0),
            Store(1, 0, 1, DepFlags.PopPrev | DepFlags.PushPrev),
            new FinishInsn(DepFlags.PopNext),
        ]);
        // File uop 1: ACC 1 ← INP 0 · WGT 0 (file uop 0 points elsewhere, so reading the wrong one shows).
        byte[] uops = s_enc.EncodeUops([new Uop(5, 1, 1), new Uop(1, 0, 0)]);
        string output = dir.File("out.bin");

        var (code, stdout, stderr) = Cli.Run("sim", "run", "--insns", dir.Write("p.bin", program), "--uops", dir.Write("u.bin", uops),
            "--inp", dir.Write("inp.bin", inp), "--wgt", dir.Write("wgt.bin", wgt), "--out", output, "--out-elems", "1",
            "--config", dir.Config(s_c), "--json");

        Assert.True(code == 0, stderr);
        byte[] expected = new byte[16];
        for (int o = 0; o < 16; o++)
        {
            int sum = 0;
            for (int c = 0; c < 16; c++)
            {
                sum += (sbyte)inp[16 + c] * (sbyte)wgt[256 + (o * 16) + c]; // element 1 of each file; WGT is [out][in]
            }

            expected[o] = (byte)sum;
        }

        Assert.Equal(expected, File.ReadAllBytes(output));
        using var doc = JsonDocument.Parse(stdout);
        long Counter(string name) => doc.RootElement.GetProperty(name).GetInt64();
        Assert.Equal([16L, 256, 0, 4, 16, 1, 1], new[] { "inp_load_nbytes", "wgt_load_nbytes", "acc_load_nbytes", "uop_load_nbytes",
            "out_store_nbytes", "gemm_counter", "alu_counter" }.Select(Counter));
    }

    [Fact]
    public void SemanticsOptionSelectsTheOutBufferModel()
    {
        using var dir = new TempDir();
        int[] acc = Enumerable.Range(0, 16).Select(i => (i * 1000) - 7).ToArray();
        string program = dir.Write("p.bin", s_enc.EncodeAll(
        [
            Load(MemoryType.Acc, 0, 0, 1, DepFlags.PushNext),
            Store(0, 0, 1, DepFlags.PopPrev | DepFlags.PushPrev),
            new FinishInsn(DepFlags.PopNext),
        ]));
        string accFile = dir.Write("acc.bin", Ints(acc));
        string config = dir.Config(s_c);

        byte[] Run(string semantics)
        {
            string output = dir.File($"out-{semantics}.bin");
            var (code, _, stderr) = Cli.Run("sim", "run", "--insns", program, "--acc", accFile, "--out", output, "--out-elems", "1",
                "--semantics", semantics, "--config", config);
            Assert.True(code == 0, stderr);
            return File.ReadAllBytes(output);
        }

        // TVM's simulator truncates ACC at store time; the bitstream stores its OUT buffer, which no GEMM/ALU wrote.
        Assert.Equal(acc.Select(v => (byte)v), Run("fsim"));
        Assert.Equal(new byte[16], Run("hardware"));
    }

    [Fact]
    public void TableOutputListsTheCounters()
    {
        using var dir = new TempDir();
        string program = dir.Write("p.bin", s_enc.EncodeAll([Store(0, 0, 1, DepFlags.None), new FinishInsn(DepFlags.None)]));

        var (code, stdout, _) = Cli.Run("sim", "run", "--insns", program, "--out", dir.File("o.bin"), "--out-elems", "1", "--config", dir.Config(s_c));

        Assert.Equal(0, code);
        Assert.Contains("out_store_nbytes", stdout, StringComparison.Ordinal);
        Assert.Contains("2 instructions", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadlockExitsOneNamingTheInstructionAndWritesNoOutput()
    {
        using var dir = new TempDir();
        string program = dir.Write("p.bin", s_enc.EncodeAll(
        [
            Load(MemoryType.Acc, 0, 0, 1),
            Store(0, 0, 1, DepFlags.PopPrev), // waits for a g2s token nobody pushes
            new FinishInsn(DepFlags.None),
        ]));
        string accFile = dir.Write("acc.bin", new byte[64]);
        string output = dir.File("out.bin");

        string line = Cli.AssertError(Cli.Run("sim", "run", "--insns", program, "--acc", accFile, "--out", output, "--out-elems", "1",
            "--config", dir.Config(s_c), "--json"));

        Assert.Contains("deadlock", line, StringComparison.Ordinal);
        Assert.Contains("instruction 1", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Equal(3, Directory.GetFiles(dir.Path).Length); // program, ACC data, config: no temporary left behind
    }

    [Theory]
    [InlineData("undecodable", "instruction 1")]
    [InlineData("no-finish", "FINISH")]
    [InlineData("past-file", "acc.bin")]
    [InlineData("no-file", "--uops")]
    [InlineData("past-out", "--out-elems")]
    public void InvalidProgramsExitOne(string kind, string expected)
    {
        using var dir = new TempDir();
        byte[] program = kind switch
        {
            "undecodable" => [.. s_enc.EncodeAll([Load(MemoryType.Acc, 0, 0, 1)]), 7, .. new byte[15], .. s_enc.EncodeAll([new FinishInsn(DepFlags.None)])],
            "no-finish" => s_enc.EncodeAll([Load(MemoryType.Acc, 0, 0, 1)]),
            "past-file" => s_enc.EncodeAll([Load(MemoryType.Acc, 0, 1, 1), new FinishInsn(DepFlags.None)]), // the file holds 1 element
            "no-file" => s_enc.EncodeAll([Load(MemoryType.Uop, 0, 0, 1), new FinishInsn(DepFlags.None)]),
            _ => s_enc.EncodeAll([Store(0, 1, 1, DepFlags.None), new FinishInsn(DepFlags.None)]), // OUT holds 1 element
        };
        string output = dir.File("out.bin");

        string line = Cli.AssertError(Cli.Run("sim", "run", "--insns", dir.Write("p.bin", program), "--acc", dir.Write("acc.bin", new byte[64]),
            "--out", output, "--out-elems", "1", "--config", dir.Config(s_c)));

        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("p.bin", 20, "16-byte")]
    [InlineData("acc.bin", 10, "64-byte ACC")]
    public void FilesOfPartialElementsAreRefused(string name, int bytes, string expected)
    {
        using var dir = new TempDir();
        string program = dir.Write("p.bin", s_enc.EncodeAll([new FinishInsn(DepFlags.None)]));
        string acc = dir.Write("acc.bin", new byte[64]);
        dir.Write(name, new byte[bytes]);

        string line = Cli.AssertError(Cli.Run("sim", "run", "--insns", program, "--acc", acc, "--out", dir.File("o.bin"), "--out-elems", "1",
            "--config", dir.Config(s_c)));

        Assert.Contains(name, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void BadOptionsAreUsageErrors()
    {
        Cli.AssertError(Cli.Run("sim", "run", "--insns", "p.bin", "--out", "o.bin"), code: 2);
        Cli.AssertError(Cli.Run("sim", "run", "--insns", "p.bin", "--out", "o.bin", "--out-elems", "0"), code: 2);
        Cli.AssertError(Cli.Run("sim", "run", "--insns", "p.bin", "--out", "o.bin", "--out-elems", "1", "--semantics", "chisel"), code: 2);
    }
}
