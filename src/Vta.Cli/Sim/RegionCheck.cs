using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Hardware.Isa.Text;
using Vta.Sim;

namespace Vta.Cli.Sim;

/// <summary>
/// Checks every LOAD and STORE against the exact size of its port's region before the run. DRAM hands out whole 4 KiB
/// pages, so without this an access just past the end of a file (or of the --out-elems window) would read zeros or
/// write bytes nobody sees instead of failing.
/// </summary>
internal static class RegionCheck
{
    public static void Check(IReadOnlyList<Instruction?> program, VtaConfig config, OutSemantics semantics,
        IReadOnlyDictionary<MemoryType, PortRegion> regions)
    {
        for (int i = 0; i < program.Count; i++)
        {
            if (program[i] is not MemInsn { XSize: > 0, YSize: > 0 } m || m.IsLoad == (m.MemoryType == MemoryType.Out)
                || !regions.TryGetValue(Port(m), out PortRegion? region))
            {
                continue;
            }

            // A LOAD of OUT or a STORE of anything else is the simulator's error to report.
            // Elements of the region touched: rows at x_stride apart; ACC_8BIT rows are int8 lanes, a quarter of an ACC element.
            int elemBytes = m.MemoryType == MemoryType.Acc8Bit ? config.AccElemBytes / 4 : region.ElemBytes;
            long rows = m.MemoryType == MemoryType.Uop && semantics == OutSemantics.Hardware ? 1 : m.YSize;
            long endByte = (m.DramBase + ((rows - 1) * m.XStride) + m.XSize) * elemBytes;
            long regionBytes = region.Elements * region.ElemBytes;
            if (endByte <= regionBytes)
            {
                continue;
            }

            string op = m.IsLoad ? "LOAD" : "STORE";
            throw new VtaSimException(
                $"{op} {InsnText.MemoryTypeName((int)m.MemoryType)} touches the {region.Port} region up to byte {endByte}, but {region.Describe()}", i);
        }
    }

    private static MemoryType Port(MemInsn m) => m.MemoryType == MemoryType.Acc8Bit ? MemoryType.Acc : m.MemoryType;
}
