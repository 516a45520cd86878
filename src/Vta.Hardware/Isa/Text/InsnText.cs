namespace Vta.Hardware.Isa.Text;

/// <summary>The names the text form of the ISA uses for opcodes, flags and enumerated field values.</summary>
public static class InsnText
{
    /// <summary>Fields every instruction kind starts with; the text form prints them as the opcode name and deps=.</summary>
    public static readonly IReadOnlyList<string> HeaderFields = ["opcode", "pop_prev_dep", "pop_next_dep", "push_prev_dep", "push_next_dep"];

    private static readonly string[] s_memoryTypes = ["UOP", "WGT", "INP", "ACC", "OUT", "ACC_8BIT"];
    private static readonly string[] s_aluOpcodes = ["MIN", "MAX", "ADD", "SHR", "MUL"];
    private static readonly (DepFlags Flag, string Name)[] s_deps =
    [
        (DepFlags.PopPrev, "pop_prev"), (DepFlags.PopNext, "pop_next"), (DepFlags.PushPrev, "push_prev"), (DepFlags.PushNext, "push_next"),
    ];

    public static string OpcodeName(Opcode op) => op switch
    {
        Opcode.Load => "LOAD",
        Opcode.Store => "STORE",
        Opcode.Gemm => "GEMM",
        Opcode.Finish => "FINISH",
        Opcode.Alu => "ALU",
        _ => ((int)op).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static bool TryParseOpcode(string text, out Opcode op)
    {
        foreach (Opcode candidate in Enum.GetValues<Opcode>())
        {
            if (string.Equals(OpcodeName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                op = candidate;
                return true;
            }
        }

        op = default;
        return false;
    }

    public static string MemoryTypeName(int value) => (uint)value < s_memoryTypes.Length ? s_memoryTypes[value] : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string AluOpcodeName(int value) => (uint)value < s_aluOpcodes.Length ? s_aluOpcodes[value] : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static int? ParseMemoryType(string text) => IndexOf(s_memoryTypes, text);

    public static int? ParseAluOpcode(string text) => IndexOf(s_aluOpcodes, text);

    /// <summary>"none", or the set flags joined by '+' in bit order, e.g. pop_next+push_next.</summary>
    public static string DepsText(DepFlags deps)
    {
        var names = s_deps.Where(d => (deps & d.Flag) != 0).Select(d => d.Name).ToArray();
        return names.Length == 0 ? "none" : string.Join('+', names);
    }

    /// <summary>Parses the deps= value: none, or flag names (with or without the _dep suffix) joined by '+'.</summary>
    public static DepFlags? ParseDeps(string text)
    {
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return DepFlags.None;
        }

        var deps = DepFlags.None;
        foreach (string part in text.Split('+'))
        {
            string name = part.EndsWith("_dep", StringComparison.OrdinalIgnoreCase) ? part[..^4] : part;
            int i = Array.FindIndex(s_deps, d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (i < 0 || (deps & s_deps[i].Flag) != 0)
            {
                return null;
            }

            deps |= s_deps[i].Flag;
        }

        return deps;
    }

    /// <summary>The text name of a layout field: memory_type is written type=, everything else keeps TVM's name.</summary>
    public static string TextName(string field) => field == "memory_type" ? "type" : field;

    /// <summary>The layout field a text name refers to (type and memory_type both name memory_type).</summary>
    public static string FieldName(string textName) => textName == "type" ? "memory_type" : textName;

    private static int? IndexOf(string[] names, string text)
    {
        int i = Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : i;
    }
}
