using System.Globalization;
using System.Text;

namespace Vta.Hardware.Isa.Text;

/// <summary>One field of the text form: its text name, its value and, for enumerations, the symbolic name.</summary>
public readonly record struct TextField(string Name, long Value, string? Symbol = null)
{
    public string Text => Symbol ?? Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One disassembled instruction; <see cref="ToString"/> is its line in the text form.</summary>
public sealed record DisasmLine(int Index, Opcode Opcode, DepFlags Deps, IReadOnlyList<TextField> Fields, UInt128 Unused)
{
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Index,4}: {InsnText.OpcodeName(Opcode),-5} deps={InsnText.DepsText(Deps)}");
        foreach (var f in Fields)
        {
            sb.Append(' ').Append(f.Name).Append('=').Append(f.Text);
        }

        if (Unused != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" unused=0x{Unused:x}");
        }

        return sb.ToString();
    }
}

/// <summary>One disassembled micro-op; <see cref="ToString"/> is its line in the text form.</summary>
public sealed record UopLine(int Index, IReadOnlyList<TextField> Fields, uint Unused)
{
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Index,4}: UOP  ");
        foreach (var f in Fields)
        {
            sb.Append(' ').Append(f.Name).Append('=').Append(f.Text);
        }

        if (Unused != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" unused=0x{Unused:x}");
        }

        return sb.ToString();
    }
}
