using System.Globalization;
using Vta.Hardware.Config;

namespace Vta.Hardware.Isa.Text;

/// <summary>
/// Parses the text form written by <see cref="InsnDisassembler"/>: one instruction per line, '#' starts a comment,
/// blank lines and a leading "N:" index are ignored, values are decimal or 0x hex, and a missing field is 0.
/// </summary>
public sealed class InsnAssembler
{
    private readonly InsnEncoder _encoder;
    private readonly InsnLayout _layout;

    public InsnAssembler(VtaConfig config)
    {
        Config = config;
        _encoder = new InsnEncoder(config);
        _layout = config.Layout;
    }

    public VtaConfig Config { get; }

    /// <summary>The bytes of the program: 16 bytes per instruction, two little-endian words each.</summary>
    public byte[] Assemble(string text, string? file = null)
    {
        var insns = Parse(text, file);
        var bytes = new byte[insns.Count * VtaConfig.InsnBytes];
        for (int i = 0; i < insns.Count; i++)
        {
            InsnEncoder.WriteWord(bytes.AsSpan(i * VtaConfig.InsnBytes), Encode(insns[i], file));
        }

        return bytes;
    }

    public IReadOnlyList<AsmInsn> Parse(string text, string? file = null)
    {
        var result = new List<AsmInsn>();
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var insn = ParseLine(lines[i], i + 1, file);
            if (insn is not null)
            {
                result.Add(insn);
            }
        }

        return result;
    }

    /// <summary>Parses one line; null for a blank or comment-only line.</summary>
    public AsmInsn? ParseLine(string line, int lineNumber, string? file = null)
    {
        AsmException Error(string message, string? token = null) => new(message, lineNumber, token, file);

        int hash = line.IndexOf('#');
        string body = hash >= 0 ? line[..hash] : line;
        int colon = body.IndexOf(':');
        if (colon >= 0)
        {
            string index = body[..colon].Trim();
            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw Error("expected an instruction index before ':'", body[..(colon + 1)].Trim());
            }

            body = body[(colon + 1)..];
        }

        string[] tokens = body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            if (colon >= 0)
            {
                throw Error("an index must be followed by an instruction");
            }

            return null;
        }

        if (!InsnText.TryParseOpcode(tokens[0], out Opcode op))
        {
            throw Error("unknown opcode (known: LOAD, STORE, GEMM, ALU, FINISH)", tokens[0]);
        }

        InsnLayout.Fields? layout = op switch
        {
            Opcode.Load or Opcode.Store => _layout.Mem,
            Opcode.Gemm => _layout.Gemm,
            Opcode.Alu => _layout.Alu,
            _ => null,
        };

        var deps = DepFlags.None;
        UInt128 unused = 0;
        var values = new Dictionary<string, long>();
        var seen = new HashSet<string>();
        foreach (string token in tokens.Skip(1))
        {
            int eq = token.IndexOf('=');
            if (eq <= 0 || eq == token.Length - 1)
            {
                throw Error("expected name=value", token);
            }

            string key = token[..eq].ToLowerInvariant();
            string value = token[(eq + 1)..];
            if (!seen.Add(InsnText.FieldName(key)))
            {
                throw Error($"{key} is given twice", token);
            }

            if (key == "deps")
            {
                deps = InsnText.ParseDeps(value)
                    ?? throw Error("deps must be none or flags joined by '+' (pop_prev, pop_next, push_prev, push_next)", token);
            }
            else if (key == "unused")
            {
                unused = ParseUnused(value, layout, Error, token);
            }
            else
            {
                string field = InsnText.FieldName(key);
                BitField bits = BodyFields(layout).FirstOrDefault(f => f.Name == field);
                if (bits.Name is null)
                {
                    throw Error($"{InsnText.OpcodeName(op)} has no field '{key}' (fields: {KnownFields(layout)})", token);
                }

                values[field] = ParseValue(bits, value, Error, token);
            }
        }

        Instruction insn = Build(op, deps, values);
        return new AsmInsn(lineNumber, insn, unused);
    }

    private UInt128 Encode(AsmInsn insn, string? file)
    {
        try
        {
            return _encoder.Encode(insn.Instruction) | insn.Unused;
        }
        catch (IsaException e)
        {
            throw new AsmException(e.Message, insn.Line, file: file, inner: e);
        }
    }

    private static Instruction Build(Opcode op, DepFlags deps, Dictionary<string, long> v)
    {
        int I(string name) => (int)v.GetValueOrDefault(name);
        return op switch
        {
            Opcode.Load or Opcode.Store => new MemInsn(op, deps, (MemoryType)I("memory_type"), I("sram_base"), (uint)v.GetValueOrDefault("dram_base"),
                I("y_size"), I("x_size"), I("x_stride"), I("y_pad_0"), I("y_pad_1"), I("x_pad_0"), I("x_pad_1")),
            Opcode.Gemm => new GemmInsn(deps, I("reset_reg") != 0, I("uop_bgn"), I("uop_end"), I("iter_out"), I("iter_in"),
                I("dst_factor_out"), I("dst_factor_in"), I("src_factor_out"), I("src_factor_in"), I("wgt_factor_out"), I("wgt_factor_in")),
            Opcode.Alu => new AluInsn(deps, I("reset_reg") != 0, I("uop_bgn"), I("uop_end"), I("iter_out"), I("iter_in"),
                I("dst_factor_out"), I("dst_factor_in"), I("src_factor_out"), I("src_factor_in"), (AluOpcode)I("alu_opcode"),
                I("use_imm") != 0, (short)(ushort)I("imm")),
            _ => new FinishInsn(deps),
        };
    }

    private static long ParseValue(BitField field, string text, Func<string, string?, AsmException> error, string token)
    {
        long? symbolic = field.Name switch
        {
            "memory_type" => InsnText.ParseMemoryType(text),
            "alu_opcode" => InsnText.ParseAluOpcode(text),
            _ => null,
        };
        long value = symbolic ?? ParseNumber(text) ?? throw error(
            field.Name switch
            {
                "memory_type" => "type must be UOP, WGT, INP, ACC, OUT, ACC_8BIT or a number",
                "alu_opcode" => "alu_opcode must be MIN, MAX, ADD, SHR, MUL or a number",
                _ => "not a decimal or 0x hexadecimal integer",
            }, token);

        // imm is signed decimal in the text form; its raw 16-bit pattern is accepted in hex (0x0..0xffff).
        if (field.Name == "imm")
        {
            bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            return value >= short.MinValue && value <= (hex ? ushort.MaxValue : short.MaxValue)
                ? value
                : throw error($"imm = {text} does not fit 16 bits ({short.MinValue}..{short.MaxValue}, or 0x0..0xffff)", token);
        }

        if (!field.Fits(value))
        {
            throw error($"{InsnText.TextName(field.Name)} = {value} does not fit its {field.Width}-bit field (0..{field.MaxValue})", token);
        }

        if (field.Name == "memory_type" && value > (long)MemoryType.Acc8Bit)
        {
            throw error($"unknown memory type {value} (known: 0 UOP, 1 WGT, 2 INP, 3 ACC, 4 OUT, 5 ACC_8BIT)", token);
        }

        if (field.Name == "alu_opcode" && value > (long)AluOpcode.Mul)
        {
            throw error($"unknown ALU opcode {value} (known: 0 MIN, 1 MAX, 2 ADD, 3 SHR, 4 MUL)", token);
        }

        return value;
    }

    private static UInt128 ParseUnused(string text, InsnLayout.Fields? layout, Func<string, string?, AsmException> error, string token)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!UInt128.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out UInt128 bits))
        {
            throw error("unused must be a decimal or 0x hexadecimal integer of at most 128 bits", token);
        }

        UInt128 used = layout?.UsedMask ?? InsnLayout.FinishMask;
        if ((bits & used) != 0)
        {
            throw error($"unused sets bits that belong to fields (0x{bits & used:x}); write those as fields", token);
        }

        return bits;
    }

    private static long? ParseNumber(string text)
    {
        bool negative = text.StartsWith('-');
        string digits = negative ? text[1..] : text;
        bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex)
        {
            digits = digits[2..];
        }

        if (digits.Length == 0 || !long.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out long v) || v < 0)
        {
            return null;
        }

        return negative ? -v : v;
    }

    /// <summary>The fields written as name=value (FINISH has none).</summary>
    private static IEnumerable<BitField> BodyFields(InsnLayout.Fields? layout) =>
        (layout?.All ?? []).Where(f => !InsnText.HeaderFields.Contains(f.Name));

    private static string KnownFields(InsnLayout.Fields? layout) =>
        string.Join(", ", ["deps", .. BodyFields(layout).Select(f => InsnText.TextName(f.Name)), "unused"]);
}
