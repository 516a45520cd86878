using System.Buffers.Binary;
using Vta.Hardware.Config;

namespace Vta.Hardware.Isa;

/// <summary>Turns instruction records and micro-ops into their binary form for one configuration.</summary>
public sealed class InsnEncoder
{
    private readonly InsnLayout _layout;

    public InsnEncoder(VtaConfig config)
    {
        Config = config;
        _layout = config.Layout;
    }

    public VtaConfig Config { get; }

    public UInt128 Encode(Instruction insn, int? index = null)
    {
        UInt128 w = (UInt128)(byte)insn.Opcode;
        w |= (UInt128)(((byte)insn.Deps & 0xF) << 3);
        switch (insn)
        {
            case MemInsn m:
                {
                    var f = _layout.Mem;
                    w = Put(w, f["memory_type"], (byte)m.MemoryType, index);
                    w = Put(w, f["sram_base"], m.SramBase, index);
                    w = Put(w, f["dram_base"], m.DramBase, index);
                    w = Put(w, f["y_size"], m.YSize, index);
                    w = Put(w, f["x_size"], m.XSize, index);
                    w = Put(w, f["x_stride"], m.XStride, index);
                    w = Put(w, f["y_pad_0"], m.YPad0, index);
                    w = Put(w, f["y_pad_1"], m.YPad1, index);
                    w = Put(w, f["x_pad_0"], m.XPad0, index);
                    w = Put(w, f["x_pad_1"], m.XPad1, index);
                    if (m.Op is not (Opcode.Load or Opcode.Store))
                    {
                        throw new IsaException($"a memory instruction must be LOAD or STORE, not {m.Op}", index, "opcode");
                    }

                    return w;
                }

            case GemmInsn g:
                {
                    var f = _layout.Gemm;
                    w = PutLoop(w, f, g.ResetReg, g.UopBgn, g.UopEnd, g.IterOut, g.IterIn, g.DstFactorOut, g.DstFactorIn, g.SrcFactorOut, g.SrcFactorIn, index);
                    w = Put(w, f["wgt_factor_out"], g.WgtFactorOut, index);
                    return Put(w, f["wgt_factor_in"], g.WgtFactorIn, index);
                }

            case AluInsn a:
                {
                    var f = _layout.Alu;
                    w = PutLoop(w, f, a.ResetReg, a.UopBgn, a.UopEnd, a.IterOut, a.IterIn, a.DstFactorOut, a.DstFactorIn, a.SrcFactorOut, a.SrcFactorIn, index);
                    w = Put(w, f["alu_opcode"], (byte)a.AluOpcode, index);
                    w = Put(w, f["use_imm"], a.UseImm ? 1 : 0, index);
                    return f["imm"].Write(w, (ushort)a.Imm);
                }

            case FinishInsn:
                return w;

            default:
                throw new IsaException($"cannot encode {insn.GetType().Name}", index);
        }
    }

    public uint EncodeUop(Uop uop, int? index = null)
    {
        var f = _layout.Uop;
        UInt128 w = 0;
        w = PutUop(w, f["dst_idx"], uop.DstIdx, index);
        w = PutUop(w, f["src_idx"], uop.SrcIdx, index);
        w = PutUop(w, f["wgt_idx"], uop.WgtIdx, index);
        return (uint)w;
    }

    /// <summary>Writes instructions as 16-byte little-endian words (word 0 = bits 0–63 first).</summary>
    public byte[] EncodeAll(IReadOnlyList<Instruction> insns)
    {
        var bytes = new byte[insns.Count * VtaConfig.InsnBytes];
        for (int i = 0; i < insns.Count; i++)
        {
            WriteWord(bytes.AsSpan(i * VtaConfig.InsnBytes), Encode(insns[i], i));
        }

        return bytes;
    }

    public byte[] EncodeUops(IReadOnlyList<Uop> uops)
    {
        var bytes = new byte[uops.Count * VtaConfig.UopElemBytes];
        for (int i = 0; i < uops.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), EncodeUop(uops[i], i));
        }

        return bytes;
    }

    public static void WriteWord(Span<byte> dest, UInt128 word)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(dest, (ulong)word);
        BinaryPrimitives.WriteUInt64LittleEndian(dest[8..], (ulong)(word >> 64));
    }

    private static UInt128 PutLoop(UInt128 w, InsnLayout.Fields f, bool reset, int bgn, int end, int iterOut, int iterIn,
        int dstOut, int dstIn, int srcOut, int srcIn, int? index)
    {
        w = Put(w, f["reset_reg"], reset ? 1 : 0, index);
        w = Put(w, f["uop_bgn"], bgn, index);
        w = Put(w, f["uop_end"], end, index);
        w = Put(w, f["iter_out"], iterOut, index);
        w = Put(w, f["iter_in"], iterIn, index);
        w = Put(w, f["dst_factor_out"], dstOut, index);
        w = Put(w, f["dst_factor_in"], dstIn, index);
        w = Put(w, f["src_factor_out"], srcOut, index);
        return Put(w, f["src_factor_in"], srcIn, index);
    }

    private static UInt128 Put(UInt128 w, BitField field, long value, int? index)
    {
        if (!field.Fits(value))
        {
            throw new IsaException($"{field.Name} = {value} does not fit its {field.Width}-bit field (0..{field.MaxValue})", index, field.Name);
        }

        return field.Write(w, (ulong)value);
    }

    private static UInt128 PutUop(UInt128 w, BitField field, long value, int? index)
    {
        if (!field.Fits(value))
        {
            throw new IsaException($"{field.Name} = {value} does not fit its {field.Width}-bit field (0..{field.MaxValue})", index, field.Name, "uop");
        }

        return field.Write(w, (ulong)value);
    }
}
