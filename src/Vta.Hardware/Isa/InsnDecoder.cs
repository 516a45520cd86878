using System.Buffers.Binary;
using Vta.Hardware.Config;

namespace Vta.Hardware.Isa;

/// <summary>Turns 128-bit words and 32-bit micro-ops back into records for one configuration.</summary>
public sealed class InsnDecoder
{
    private readonly InsnLayout _layout;

    public InsnDecoder(VtaConfig config)
    {
        Config = config;
        _layout = config.Layout;
    }

    public VtaConfig Config { get; }

    public static UInt128 ReadWord(ReadOnlySpan<byte> src) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(src[8..]), BinaryPrimitives.ReadUInt64LittleEndian(src));

    /// <summary>Decodes one instruction; an unknown opcode, memory type or ALU opcode is an error naming the index.</summary>
    public Instruction Decode(UInt128 w, int? index = null)
    {
        var opcode = (int)(w & 7);
        var deps = (DepFlags)(byte)((w >> 3) & 0xF);
        switch (opcode)
        {
            case (int)Opcode.Load:
            case (int)Opcode.Store:
                {
                    var f = _layout.Mem;
                    int memType = Get(w, f["memory_type"]);
                    if (memType > (int)MemoryType.Acc8Bit)
                    {
                        throw new IsaException($"unknown memory type {memType} (known: 0 UOP, 1 WGT, 2 INP, 3 ACC, 4 OUT, 5 ACC_8BIT)", index, "memory_type");
                    }

                    return new MemInsn((Opcode)opcode, deps, (MemoryType)memType, Get(w, f["sram_base"]), (uint)f["dram_base"].Read(w),
                        Get(w, f["y_size"]), Get(w, f["x_size"]), Get(w, f["x_stride"]),
                        Get(w, f["y_pad_0"]), Get(w, f["y_pad_1"]), Get(w, f["x_pad_0"]), Get(w, f["x_pad_1"]));
                }

            case (int)Opcode.Gemm:
                {
                    var f = _layout.Gemm;
                    return new GemmInsn(deps, Get(w, f["reset_reg"]) != 0, Get(w, f["uop_bgn"]), Get(w, f["uop_end"]),
                        Get(w, f["iter_out"]), Get(w, f["iter_in"]), Get(w, f["dst_factor_out"]), Get(w, f["dst_factor_in"]),
                        Get(w, f["src_factor_out"]), Get(w, f["src_factor_in"]), Get(w, f["wgt_factor_out"]), Get(w, f["wgt_factor_in"]));
                }

            case (int)Opcode.Alu:
                {
                    var f = _layout.Alu;
                    int aluOp = Get(w, f["alu_opcode"]);
                    if (aluOp > (int)AluOpcode.Mul)
                    {
                        throw new IsaException($"unknown ALU opcode {aluOp} (known: 0 MIN, 1 MAX, 2 ADD, 3 SHR, 4 MUL)", index, "alu_opcode");
                    }

                    return new AluInsn(deps, Get(w, f["reset_reg"]) != 0, Get(w, f["uop_bgn"]), Get(w, f["uop_end"]),
                        Get(w, f["iter_out"]), Get(w, f["iter_in"]), Get(w, f["dst_factor_out"]), Get(w, f["dst_factor_in"]),
                        Get(w, f["src_factor_out"]), Get(w, f["src_factor_in"]), (AluOpcode)aluOp, Get(w, f["use_imm"]) != 0,
                        (short)(ushort)f["imm"].Read(w));
                }

            case (int)Opcode.Finish:
                return new FinishInsn(deps);

            default:
                throw new IsaException($"unknown opcode {opcode} (known: 0 LOAD, 1 STORE, 2 GEMM, 3 FINISH, 4 ALU)", index, "opcode");
        }
    }

    public Uop DecodeUop(uint word)
    {
        var f = _layout.Uop;
        return new Uop(Get(word, f["dst_idx"]), Get(word, f["src_idx"]), Get(word, f["wgt_idx"]));
    }

    /// <summary>Bits of the word that the instruction kind does not use (padding, or anything past FINISH's flags).</summary>
    public UInt128 UnusedBits(UInt128 w) => (int)(w & 7) switch
    {
        (int)Opcode.Load or (int)Opcode.Store => w & ~_layout.Mem.UsedMask,
        (int)Opcode.Gemm => w & ~_layout.Gemm.UsedMask,
        (int)Opcode.Alu => w & ~_layout.Alu.UsedMask,
        (int)Opcode.Finish => w & ~InsnLayout.FinishMask,
        _ => 0,
    };

    public IReadOnlyList<Instruction> DecodeAll(ReadOnlySpan<byte> bytes, string? source = null)
    {
        if (bytes.Length % VtaConfig.InsnBytes != 0)
        {
            throw new IsaException($"{source ?? "instruction stream"}: {bytes.Length} bytes is not a whole number of 16-byte instructions");
        }

        var list = new Instruction[bytes.Length / VtaConfig.InsnBytes];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = Decode(ReadWord(bytes[(i * VtaConfig.InsnBytes)..]), i);
        }

        return list;
    }

    public Uop[] DecodeUops(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % VtaConfig.UopElemBytes != 0)
        {
            throw new IsaException($"{bytes.Length} bytes is not a whole number of 4-byte micro-ops");
        }

        var list = new Uop[bytes.Length / 4];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = DecodeUop(BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]));
        }

        return list;
    }

    private static int Get(UInt128 w, BitField f) => (int)f.Read(w);
}
