using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Cli.Output;

/// <summary>One row of the instruction layout: a field, or a run of bits no field uses (alignment padding, unused tail).</summary>
internal readonly record struct LayoutRow(string Field, int Lo, int Hi)
{
    public int Width => Hi - Lo + 1;

    public string Bits => Lo == Hi ? $"{Lo}" : $"{Lo}-{Hi}";

    /// <summary>Each instruction kind (and the micro-op) with its fields in bit order, gaps included.</summary>
    public static IReadOnlyList<(string Kind, IReadOnlyList<LayoutRow> Rows)> All(VtaConfig config)
    {
        InsnLayout l = config.Layout;
        return
        [
            ("load_store", Rows(l.Mem.All, l.Mem.WordBits)),
            ("gemm", Rows(l.Gemm.All, l.Gemm.WordBits)),
            ("alu", Rows(l.Alu.All, l.Alu.WordBits)),
            ("finish", Rows(l.Mem.All.Take(5).ToList(), VtaConfig.InsWidth)),
            ("uop", Rows(l.Uop.All, l.Uop.WordBits)),
        ];
    }

    private static List<LayoutRow> Rows(IReadOnlyList<BitField> fields, int wordBits)
    {
        var rows = new List<LayoutRow>();
        int next = 0;
        foreach (BitField f in fields.OrderBy(f => f.Start))
        {
            if (f.Start > next)
            {
                rows.Add(new LayoutRow("(pad)", next, f.Start - 1));
            }

            rows.Add(new LayoutRow(f.Name, f.Start, f.End - 1));
            next = f.End;
        }

        if (next < wordBits)
        {
            rows.Add(new LayoutRow("(unused)", next, wordBits - 1));
        }

        return rows;
    }
}
