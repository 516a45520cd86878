using System.Buffers.Binary;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Hardware.Isa.Text;

namespace Vta.Hardware.Tests;

/// <summary>The text form of the ISA: bytes → disasm → asm gives the same bytes; lines read as documented; errors name the line.</summary>
public class IsaTextTests
{
    public static readonly TheoryData<string> ConfigNames = ["default", "block32", "batch2", "block8-small"];

    private static VtaConfig Config(string name) => name switch
    {
        "default" => VtaConfig.Default,
        "block32" => VtaConfig.Create(logBlock: 5),
        "batch2" => VtaConfig.Create(logBatch: 1),
        "block8-small" => VtaConfig.Create(logBlock: 3, logInpBuffSize: 14, logWgtBuffSize: 16, logAccBuffSize: 16),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void RandomWordsOfEveryKindRoundTripThroughText(string name)
    {
        VtaConfig c = Config(name);
        var rng = new Random(name.Length * 7919 + 17);
        byte[] bytes = new byte[16 * 3000];
        for (int i = 0; i < 3000; i++)
        {
            InsnEncoder.WriteWord(bytes.AsSpan(i * 16), RandomDecodableWord(rng, c, kind: i % 5));
        }

        string text = new InsnDisassembler(c).Disassemble(bytes);
        byte[] back = new InsnAssembler(c).Assemble(text);

        Assert.Equal(3000, text.Count(ch => ch == '\n'));
        Assert.Equal(bytes, back);
    }

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void EncodedRecordsRoundTripAndPrintNoUnusedBits(string name)
    {
        VtaConfig c = Config(name);
        var rng = new Random(name.Length * 31 + 5);
        var insns = Enumerable.Range(0, 1000).Select(i => RandomRecord(rng, c, i % 5)).ToList();
        byte[] bytes = new InsnEncoder(c).EncodeAll(insns);

        var lines = new InsnDisassembler(c).DecodeAll(bytes);
        var parsed = new InsnAssembler(c).Parse(string.Join('\n', lines.Select(l => l.ToString())));

        Assert.All(lines, l => Assert.Equal(UInt128.Zero, l.Unused));
        Assert.DoesNotContain(lines, l => l.ToString().Contains("unused=", StringComparison.Ordinal));
        Assert.Equal(insns, parsed.Select(p => p.Instruction));
    }

    [Fact]
    public void LoadLineMatchesHandComputedWords()
    {
        // opcode 0, pop_next (bit 4) + push_next (bit 6), INP=2 at bits 7-9, dram_base 32 at bit 26;
        // y_size 1 at bit 64, x_size 16 at bit 80, x_stride 16 at bit 96.
        var word = new UInt128(0x0000_0010_0010_0001UL, 0x8000_0150UL);
        const string Line = "  12: LOAD  deps=pop_next+push_next type=INP sram_base=0 dram_base=32 y_size=1 x_size=16 x_stride=16 y_pad_0=0 y_pad_1=0 x_pad_0=0 x_pad_1=0";

        Assert.Equal(Line, new InsnDisassembler(VtaConfig.Default).Decode(word, 12).ToString());
        Assert.Equal(Bytes(word), new InsnAssembler(VtaConfig.Default).Assemble(Line));
    }

    [Fact]
    public void AluLinePrintsOpcodeNameAndSignedImm()
    {
        // opcode 4, uop_end 1 at bit 21, iter_out 1 at bit 35, iter_in 1 at bit 49;
        // alu_opcode SHR=3 at bit 108, use_imm at bit 111, imm 0xFFFD (-3) at bit 112.
        var word = new UInt128(0xFFFD_B000_0000_0000UL, 4UL | (1UL << 21) | (1UL << 35) | (1UL << 49));
        string line = new InsnDisassembler(VtaConfig.Default).Decode(word, 0).ToString();

        Assert.Equal("   0: ALU   deps=none reset_reg=0 uop_bgn=0 uop_end=1 iter_out=1 iter_in=1 dst_factor_out=0 dst_factor_in=0 " +
            "src_factor_out=0 src_factor_in=0 alu_opcode=SHR use_imm=1 imm=-3", line);
        Assert.Equal(Bytes(word), new InsnAssembler(VtaConfig.Default).Assemble("ALU uop_end=1 iter_out=1 iter_in=1 alu_opcode=shr use_imm=1 imm=0xfffd"));
    }

    [Fact]
    public void UnusedBitsArePrintedAndRestored()
    {
        // FINISH uses bits 0-6 only; bit 63 (padding of every kind) and bit 100 are unused.
        var word = (UInt128)3 | ((UInt128)1 << 63) | ((UInt128)1 << 100);
        string line = new InsnDisassembler(VtaConfig.Default).Decode(word, 0).ToString();

        Assert.Equal("   0: FINISH deps=none unused=0x10000000008000000000000000", line);
        Assert.Equal(Bytes(word), new InsnAssembler(VtaConfig.Default).Assemble(line));
    }

    [Fact]
    public void CommentsBlankLinesIndexesAndMissingFieldsAreAccepted()
    {
        const string Text = """
            # a program
            LOAD type=acc x_size=2 y_size=1 x_stride=2   # ACC tiles 0 and 1

              7: finish deps=pop_prev_dep+pop_next
            """;
        var insns = new InsnAssembler(VtaConfig.Default).Parse(Text);

        Assert.Equal(
            [
                new MemInsn(Opcode.Load, DepFlags.None, MemoryType.Acc, 0, 0, 1, 2, 2),
                new FinishInsn(DepFlags.PopPrev | DepFlags.PopNext),
            ],
            insns.Select(i => i.Instruction));
        Assert.Equal([2, 4], insns.Select(i => i.Line));
    }

    [Theory]
    [InlineData("LOAD x_size=70000", 2, "x_size=70000")]
    [InlineData("JUMP x=1", 2, "JUMP")]
    [InlineData("GEMM wgt_factor_in=1024", 2, "wgt_factor_in=1024")]
    [InlineData("ALU imm=40000", 2, "imm=40000")]
    [InlineData("ALU alu_opcode=DIV", 2, "alu_opcode=DIV")]
    [InlineData("STORE type=FOO", 2, "type=FOO")]
    [InlineData("STORE type=6", 2, "type=6")]
    [InlineData("LOAD x_size", 2, "x_size")]
    [InlineData("LOAD x_size=1 x_size=2", 2, "x_size=2")]
    [InlineData("FINISH x_size=1", 2, "x_size=1")]
    [InlineData("GEMM deps=pop_sideways", 2, "deps=pop_sideways")]
    [InlineData("GEMM unused=0x4", 2, "unused=0x4")]
    [InlineData("x: LOAD", 2, "x:")]
    [InlineData("LOAD sram_base=-1", 2, "sram_base=-1")]
    [InlineData("LOAD sram_base=12z", 2, "sram_base=12z")]
    public void ErrorsNameTheLineAndTheToken(string badLine, int line, string token)
    {
        string text = "FINISH\n" + badLine + "\n";
        var e = Assert.Throws<AsmException>(() => new InsnAssembler(VtaConfig.Default).Assemble(text, "prog.txt"));

        Assert.Equal(line, e.Line);
        Assert.Equal(token, e.Token);
        Assert.StartsWith($"prog.txt:{line}: '{token}': ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldWidthsFollowTheConfiguration()
    {
        // GEMM wgt_factor_in is LOG_WGT_BUFF_DEPTH bits: 10 at the default, 8 at block 32 (2^18 B / 1024 B per tile).
        var block32 = VtaConfig.Create(logBlock: 5);
        Assert.Equal(256, block32.WgtBuffDepth);

        Assert.Equal(16, new InsnAssembler(VtaConfig.Default).Assemble("GEMM wgt_factor_in=1023").Length);
        Assert.Equal(16, new InsnAssembler(block32).Assemble("GEMM wgt_factor_in=255").Length);
        Assert.Throws<AsmException>(() => new InsnAssembler(block32).Assemble("GEMM wgt_factor_in=256"));
    }

    [Fact]
    public void TruncatedOrUndecodableStreamsNameTheInstruction()
    {
        var dis = new InsnDisassembler(VtaConfig.Default);
        byte[] bytes = new byte[40];
        bytes[16] = 3; // instruction 1: FINISH
        bytes[32] = 3;

        var cut = Assert.Throws<IsaException>(() => dis.DecodeAll(bytes));
        Assert.Equal(2, cut.Index);

        bytes = new byte[48];
        bytes[32] = 7; // opcode 7 at instruction 2
        var bad = Assert.Throws<IsaException>(() => dis.DecodeAll(bytes));
        Assert.Equal(2, bad.Index);
        Assert.Contains("instruction 2", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UopsListTheirFields()
    {
        // dst 5 at bit 0, src 3 at bit 11, wgt 9 at bit 22.
        uint word = 5u | (3u << 11) | (9u << 22);
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, word);

        var line = Assert.Single(new InsnDisassembler(VtaConfig.Default).DecodeUops(bytes));
        Assert.Equal("   0: UOP   dst_idx=5 src_idx=3 wgt_idx=9", line.ToString());
    }

    private static byte[] Bytes(UInt128 word)
    {
        byte[] b = new byte[16];
        InsnEncoder.WriteWord(b, word);
        return b;
    }

    /// <summary>Random 128 bits with the opcode of <paramref name="kind"/> and a decodable memory type / ALU opcode.</summary>
    private static UInt128 RandomDecodableWord(Random rng, VtaConfig c, int kind)
    {
        var w = new UInt128((ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63), (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63));
        w = (w & ~(UInt128)7) | (uint)(kind == 4 ? 4 : kind);
        if (kind is 0 or 1)
        {
            w = c.Layout.Mem["memory_type"].Write(w, (ulong)rng.Next(6));
        }
        else if (kind == 4)
        {
            w = c.Layout.Alu["alu_opcode"].Write(w, (ulong)rng.Next(5));
        }

        return w;
    }

    private static Instruction RandomRecord(Random rng, VtaConfig c, int kind)
    {
        var deps = (DepFlags)rng.Next(16);
        int R(int bits) => (int)rng.NextInt64(1L << bits);
        return kind switch
        {
            0 or 1 => new MemInsn(kind == 0 ? Opcode.Load : Opcode.Store, deps, (MemoryType)rng.Next(6), R(16), (uint)rng.NextInt64(1L << 32),
                R(16), R(16), R(16), R(4), R(4), R(4), R(4)),
            2 => new GemmInsn(deps, rng.Next(2) == 1, R(c.LogUopBuffDepth), R(c.LogUopBuffDepth + 1), R(14), R(14),
                R(c.LogAccBuffDepth), R(c.LogAccBuffDepth), R(c.LogInpBuffDepth), R(c.LogInpBuffDepth), R(c.LogWgtBuffDepth), R(c.LogWgtBuffDepth)),
            3 => new AluInsn(deps, rng.Next(2) == 1, R(c.LogUopBuffDepth), R(c.LogUopBuffDepth + 1), R(14), R(14),
                R(c.LogAccBuffDepth), R(c.LogAccBuffDepth), R(c.LogAccBuffDepth), R(c.LogAccBuffDepth),
                (AluOpcode)rng.Next(5), rng.Next(2) == 1, (short)rng.Next(short.MinValue, short.MaxValue + 1)),
            _ => new FinishInsn(deps),
        };
    }
}
