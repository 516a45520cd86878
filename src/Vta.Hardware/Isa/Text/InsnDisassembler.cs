using System.Buffers.Binary;
using System.Text;
using Vta.Hardware.Config;

namespace Vta.Hardware.Isa.Text;

/// <summary>
/// Turns binary instructions and micro-ops into the text form, one line each: every field by TVM's name, and any set bits
/// the kind does not use as unused=0x…, so <see cref="InsnAssembler"/> can rebuild the exact bytes.
/// </summary>
public sealed class InsnDisassembler
{
    private readonly InsnDecoder _decoder;
    private readonly InsnLayout _layout;

    public InsnDisassembler(VtaConfig config)
    {
        Config = config;
        _decoder = new InsnDecoder(config);
        _layout = config.Layout;
    }

    public VtaConfig Config { get; }

    /// <summary>Decodes one instruction word; an undecodable one is an <see cref="IsaException"/> naming the index.</summary>
    public DisasmLine Decode(UInt128 word, int index)
    {
        Instruction insn = _decoder.Decode(word, index);
        InsnLayout.Fields? layout = insn.Opcode switch
        {
            Opcode.Load or Opcode.Store => _layout.Mem,
            Opcode.Gemm => _layout.Gemm,
            Opcode.Alu => _layout.Alu,
            _ => null,
        };

        var fields = new List<TextField>();
        foreach (BitField f in layout?.All ?? [])
        {
            if (InsnText.HeaderFields.Contains(f.Name))
            {
                continue;
            }

            ulong raw = f.Read(word);
            fields.Add(f.Name switch
            {
                "memory_type" => new TextField(InsnText.TextName(f.Name), (long)raw, InsnText.MemoryTypeName((int)raw)),
                "alu_opcode" => new TextField(f.Name, (long)raw, InsnText.AluOpcodeName((int)raw)),
                "imm" => new TextField(f.Name, (short)(ushort)raw),
                _ => new TextField(f.Name, (long)raw),
            });
        }

        return new DisasmLine(index, insn.Opcode, insn.Deps, fields, _decoder.UnusedBits(word));
    }

    /// <summary>Decodes a stream of 16-byte instructions.</summary>
    public IReadOnlyList<DisasmLine> DecodeAll(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % VtaConfig.InsnBytes != 0)
        {
            throw new IsaException($"cut short: {bytes.Length} bytes is not a whole number of {VtaConfig.InsnBytes}-byte instructions",
                bytes.Length / VtaConfig.InsnBytes);
        }

        var lines = new DisasmLine[bytes.Length / VtaConfig.InsnBytes];
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = Decode(InsnDecoder.ReadWord(bytes[(i * VtaConfig.InsnBytes)..]), i);
        }

        return lines;
    }

    /// <summary>The text form of a whole instruction stream, one line per instruction, each ending in '\n'.</summary>
    public string Disassemble(ReadOnlySpan<byte> bytes) => Join(DecodeAll(bytes));

    public UopLine DecodeUop(uint word, int index)
    {
        var fields = _layout.Uop.All.Select(f => new TextField(f.Name, (long)f.Read(word))).ToArray();
        return new UopLine(index, fields, word & ~(uint)_layout.Uop.UsedMask);
    }

    /// <summary>Decodes a stream of 4-byte little-endian micro-ops.</summary>
    public IReadOnlyList<UopLine> DecodeUops(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % VtaConfig.UopElemBytes != 0)
        {
            throw new IsaException($"cut short: {bytes.Length} bytes is not a whole number of {VtaConfig.UopElemBytes}-byte micro-ops",
                bytes.Length / VtaConfig.UopElemBytes, unit: "uop");
        }

        var lines = new UopLine[bytes.Length / VtaConfig.UopElemBytes];
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = DecodeUop(BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * VtaConfig.UopElemBytes)..]), i);
        }

        return lines;
    }

    private static string Join<T>(IEnumerable<T> lines)
    {
        var sb = new StringBuilder();
        foreach (T line in lines)
        {
            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }
}
