using Vta.Hardware.Config;

namespace Vta.Hardware.Isa;

/// <summary>
/// Bit positions of every instruction and micro-op field for one configuration. Fields pack LSB first as
/// C bit-fields over uint64_t do: a field that would straddle bit 64 starts at bit 64 (hw_spec.h under gcc).
/// </summary>
public sealed class InsnLayout
{
    public const int OpcodeBits = 3;
    public const int MemIdBits = 3;
    public const int SramAddrBits = 16;
    public const int DramAddrBits = 32;
    public const int SizeBits = 16;
    public const int StrideBits = 16;
    public const int PadBits = 4;
    public const int LoopIterBits = 14;
    public const int AluOpcodeBits = 3;
    public const int ImmBits = 16;

    private InsnLayout(VtaConfig c)
    {
        Mem = Pack(128,
        [
            ("opcode", OpcodeBits), ("pop_prev_dep", 1), ("pop_next_dep", 1), ("push_prev_dep", 1), ("push_next_dep", 1),
            ("memory_type", MemIdBits), ("sram_base", SramAddrBits), ("dram_base", DramAddrBits),
            ("y_size", SizeBits), ("x_size", SizeBits), ("x_stride", StrideBits),
            ("y_pad_0", PadBits), ("y_pad_1", PadBits), ("x_pad_0", PadBits), ("x_pad_1", PadBits),
        ]);
        (string, int)[] head =
        [
            ("opcode", OpcodeBits), ("pop_prev_dep", 1), ("pop_next_dep", 1), ("push_prev_dep", 1), ("push_next_dep", 1),
            ("reset_reg", 1), ("uop_bgn", c.LogUopBuffDepth), ("uop_end", c.LogUopBuffDepth + 1),
            ("iter_out", LoopIterBits), ("iter_in", LoopIterBits),
            ("dst_factor_out", c.LogAccBuffDepth), ("dst_factor_in", c.LogAccBuffDepth),
        ];
        Gemm = Pack(128,
        [
            .. head,
            ("src_factor_out", c.LogInpBuffDepth), ("src_factor_in", c.LogInpBuffDepth),
            ("wgt_factor_out", c.LogWgtBuffDepth), ("wgt_factor_in", c.LogWgtBuffDepth),
        ]);
        Alu = Pack(128,
        [
            .. head,
            ("src_factor_out", c.LogAccBuffDepth), ("src_factor_in", c.LogAccBuffDepth),
            ("alu_opcode", AluOpcodeBits), ("use_imm", 1), ("imm", ImmBits),
        ]);
        Uop = Pack(32,
        [
            ("dst_idx", c.LogAccBuffDepth), ("src_idx", Math.Max(c.LogAccBuffDepth, c.LogInpBuffDepth)), ("wgt_idx", c.LogWgtBuffDepth),
        ]);
    }

    /// <summary>LOAD/STORE fields.</summary>
    public Fields Mem { get; }

    /// <summary>GEMM fields.</summary>
    public Fields Gemm { get; }

    /// <summary>ALU fields.</summary>
    public Fields Alu { get; }

    /// <summary>Micro-op fields (32-bit word).</summary>
    public Fields Uop { get; }

    /// <summary>FINISH uses only the opcode and the dependency flags.</summary>
    public static UInt128 FinishMask => ((UInt128)1 << 7) - 1;

    public static InsnLayout For(VtaConfig config) => new(config);

    /// <summary>Refuses a configuration whose fields no longer fit 128-bit instructions or 32-bit micro-ops.</summary>
    internal static void Check(VtaConfig c)
    {
        var layout = new InsnLayout(c);
        const string Buffers = "LOG_UOP_BUFF_SIZE/LOG_INP_BUFF_SIZE/LOG_WGT_BUFF_SIZE/LOG_ACC_BUFF_SIZE";
        if (layout.Gemm.TotalBits > 128)
        {
            throw new VtaConfigException($"the GEMM instruction needs {layout.Gemm.TotalBits} bits ({layout.Gemm.Describe()}), more than the 128 an instruction has; make the buffers smaller", Buffers);
        }

        if (layout.Alu.TotalBits > 128)
        {
            throw new VtaConfigException($"the ALU instruction needs {layout.Alu.TotalBits} bits ({layout.Alu.Describe()}), more than the 128 an instruction has; make the accumulator buffer smaller", "LOG_ACC_BUFF_SIZE");
        }

        if (layout.Uop.TotalBits > 32)
        {
            throw new VtaConfigException($"a micro-op needs {layout.Uop.TotalBits} bits ({layout.Uop.Describe()}), more than the 32 a micro-op has; make the buffers smaller", "LOG_INP_BUFF_SIZE/LOG_WGT_BUFF_SIZE/LOG_ACC_BUFF_SIZE");
        }
    }

    private static Fields Pack(int wordBits, (string Name, int Width)[] spec)
    {
        var fields = new List<BitField>(spec.Length);
        int pos = 0;
        foreach (var (name, width) in spec)
        {
            if (width > 0 && pos / 64 != (pos + width - 1) / 64)
            {
                pos = (pos + 63) / 64 * 64;
            }

            fields.Add(new BitField(name, pos, width));
            pos += width;
        }

        return new Fields(fields, pos, wordBits);
    }

    /// <summary>An ordered set of fields with lookup by TVM's field name.</summary>
    public sealed class Fields
    {
        private readonly Dictionary<string, BitField> _byName;

        internal Fields(IReadOnlyList<BitField> all, int totalBits, int wordBits)
        {
            All = all;
            TotalBits = totalBits;
            WordBits = wordBits;
            _byName = all.ToDictionary(f => f.Name);
            UInt128 used = 0;
            foreach (var f in all)
            {
                used |= f.Mask;
            }

            UsedMask = used;
        }

        public IReadOnlyList<BitField> All { get; }

        /// <summary>Bits used including alignment padding.</summary>
        public int TotalBits { get; }

        public int WordBits { get; }

        public UInt128 UsedMask { get; }

        public BitField this[string name] => _byName.TryGetValue(name, out var f) ? f : throw new KeyNotFoundException($"no field '{name}'");

        public string Describe() => string.Join(", ", All.Select(f => $"{f.Name} {f.Start}–{f.End - 1}"));
    }
}
