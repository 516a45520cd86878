using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Hardware.Tests;

/// <summary>Hand-computed 128-bit words at the default configuration (bit positions from hw_spec.h, doc §2).</summary>
public class EncodingTests
{
    private readonly InsnEncoder _enc = new(VtaConfig.Default);
    private readonly InsnDecoder _dec = new(VtaConfig.Default);

    [Fact]
    public void LoadEncodesToHandComputedWords()
    {
        var insn = new MemInsn(Opcode.Load, DepFlags.PopNext | DepFlags.PushNext, MemoryType.Inp, SramBase: 5, DramBase: 0x100,
            YSize: 3, XSize: 4, XStride: 7, YPad0: 1, YPad1: 2, XPad0: 3, XPad1: 4);
        AssertWords(insn, 0x0000_0004_0000_1550UL, 0x4321_0007_0004_0003UL);
    }

    [Fact]
    public void StoreEncodesToHandComputedWords()
    {
        var insn = new MemInsn(Opcode.Store, DepFlags.PopPrev | DepFlags.PushPrev, MemoryType.Out, SramBase: 0xFFFF, DramBase: 0xFFFFFFFF,
            YSize: 1, XSize: 2, XStride: 2);
        // opcode 1 | pop_prev bit3 | push_prev bit5 | OUT(4)<<7 | 0xFFFF<<10 | 0xFFFFFFFF<<26
        ulong w0 = 1UL | (1UL << 3) | (1UL << 5) | (4UL << 7) | (0xFFFFUL << 10) | (0xFFFFFFFFUL << 26);
        Assert.Equal(0x03FF_FFFF_FFFF_FE29UL, w0);
        AssertWords(insn, w0, 0x0000_0002_0002_0001UL);
    }

    [Fact]
    public void GemmEncodesToHandComputedWords()
    {
        var insn = new GemmInsn(DepFlags.PushPrev, ResetReg: false, UopBgn: 1, UopEnd: 3, IterOut: 2, IterIn: 5,
            DstFactorOut: 1, DstFactorIn: 2, SrcFactorOut: 3, SrcFactorIn: 4, WgtFactorOut: 5, WgtFactorIn: 6);
        AssertWords(insn, 0x000A_0010_0060_0122UL, 0x0180_5008_00C0_1001UL);
    }

    [Fact]
    public void GemmResetSetsBit7()
    {
        var insn = new GemmInsn(DepFlags.None, ResetReg: true, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0);
        // opcode 2 | reset bit 7 | uop_end 1 << 21 | iter_out 1 << 35 | iter_in 1 << 49
        AssertWords(insn, 2UL | (1UL << 7) | (1UL << 21) | (1UL << 35) | (1UL << 49), 0);
    }

    [Fact]
    public void AluEncodesToHandComputedWords()
    {
        var insn = new AluInsn(DepFlags.PopPrev, ResetReg: false, UopBgn: 0, UopEnd: 1, IterOut: 1, IterIn: 8,
            DstFactorOut: 0, DstFactorIn: 1, SrcFactorOut: 0, SrcFactorIn: 1, AluOpcode.Shr, UseImm: true, Imm: -3);
        AssertWords(insn, 0x0010_0008_0020_000CUL, 0xFFFD_B002_0000_0800UL);
    }

    [Fact]
    public void FinishEncodesOpcodeAndFlagsOnly()
    {
        AssertWords(new FinishInsn(DepFlags.None), 3, 0);
        AssertWords(new FinishInsn(DepFlags.PopPrev | DepFlags.PopNext), 0x1B, 0);
    }

    [Fact]
    public void UopEncodesToHandComputedWord()
    {
        Assert.Equal(0xFFC9_1805u, _enc.EncodeUop(new Uop(5, 0x123, 0x3FF)));
        Assert.Equal(new Uop(5, 0x123, 0x3FF), _dec.DecodeUop(0xFFC9_1805u));
    }

    [Fact]
    public void BytesAreTwoLittleEndianWords()
    {
        byte[] bytes = _enc.EncodeAll([new FinishInsn(DepFlags.PopNext)]);
        Assert.Equal(new byte[] { 0x13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, bytes);
    }

    [Theory]
    [InlineData("iter_out", 1 << 14)]
    [InlineData("uop_bgn", 8192)]
    [InlineData("wgt_factor_in", 1024)]
    public void FieldOverflowNamesTheField(string field, int value)
    {
        var insn = new GemmInsn(DepFlags.None, false,
            UopBgn: field == "uop_bgn" ? value : 0, UopEnd: 1,
            IterOut: field == "iter_out" ? value : 1, IterIn: 1, 0, 0, 0, 0, 0,
            WgtFactorIn: field == "wgt_factor_in" ? value : 0);
        var e = Assert.Throws<IsaException>(() => _enc.Encode(insn, 7));
        Assert.Equal(field, e.Field);
        Assert.StartsWith("instruction 7: ", e.Message);
    }

    [Theory]
    [InlineData(5, "opcode")]
    [InlineData(7, "opcode")]
    public void UnknownOpcodeIsRefused(int opcode, string field)
    {
        var e = Assert.Throws<IsaException>(() => _dec.Decode((UInt128)opcode, 3));
        Assert.Equal(field, e.Field);
        Assert.Contains("instruction 3", e.Message);
    }

    [Fact]
    public void UnknownMemoryTypeAndAluOpcodeAreRefused()
    {
        UInt128 load = 0 | ((UInt128)6 << 7);
        Assert.Equal("memory_type", Assert.Throws<IsaException>(() => _dec.Decode(load, 0)).Field);
        UInt128 alu = 4 | ((UInt128)7 << 108);
        Assert.Equal("alu_opcode", Assert.Throws<IsaException>(() => _dec.Decode(alu, 0)).Field);
    }

    private void AssertWords(Instruction insn, ulong word0, ulong word1)
    {
        UInt128 w = _enc.Encode(insn);
        Assert.Equal(word0, (ulong)w);
        Assert.Equal(word1, (ulong)(w >> 64));
        Assert.Equal(insn, _dec.Decode(w));
    }
}
