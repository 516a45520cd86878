using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Compiler.Programs;

/// <summary>
/// Rewrites the DRAM addresses of LOAD and STORE instructions in an encoded stream (addresses are in elements of each
/// memory type, so a byte address is mapped and divided back), and checks that every access of a program stays inside
/// its arena.
/// </summary>
public static class ProgramRelocation
{
    public static int ElemBytes(VtaConfig config, MemoryType type) => type switch
    {
        MemoryType.Uop => VtaConfig.UopElemBytes,
        MemoryType.Wgt => config.WgtElemBytes,
        MemoryType.Inp => config.InpElemBytes,
        MemoryType.Acc => config.AccElemBytes,
        MemoryType.Out => config.OutElemBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown memory type"),
    };

    /// <summary>Maps each memory instruction's byte address through <paramref name="map"/> (given its index and type).</summary>
    public static void Relocate(Span<byte> code, int count, VtaConfig config, Func<int, MemInsn, long, long> map)
    {
        var decoder = new InsnDecoder(config);
        var encoder = new InsnEncoder(config);
        for (int i = 0; i < count; i++)
        {
            Span<byte> word = code.Slice(i * VtaConfig.InsnBytes, VtaConfig.InsnBytes);
            // Size-0 loads are the dependency no-ops; they touch nothing and keep address 0.
            if (decoder.Decode(InsnDecoder.ReadWord(word), i) is not MemInsn m || m.XSize == 0 || m.YSize == 0)
            {
                continue;
            }

            int elem = ElemBytes(config, m.MemoryType);
            long to = map(i, m, (long)m.DramBase * elem);
            if (to < 0 || to % elem != 0 || to / elem > uint.MaxValue)
            {
                throw new ProgramFormatException($"instruction {i}: {m.MemoryType} address 0x{to:X} is not a whole {elem}-byte element in range");
            }

            InsnEncoder.WriteWord(word, encoder.Encode(m with { DramBase = (uint)(to / elem) }, i));
        }
    }

    /// <summary>Every DRAM byte a memory instruction touches lies in [0, <paramref name="arenaBytes"/>) (base-0 program).</summary>
    public static void CheckInArena(ReadOnlySpan<byte> code, int count, VtaConfig config, long arenaBytes, string where)
    {
        var decoder = new InsnDecoder(config);
        for (int i = 0; i < count; i++)
        {
            if (decoder.Decode(InsnDecoder.ReadWord(code.Slice(i * VtaConfig.InsnBytes, VtaConfig.InsnBytes)), i) is not MemInsn m || m.YSize == 0 || m.XSize == 0)
            {
                continue;
            }

            int elem = ElemBytes(config, m.MemoryType);
            long first = (long)m.DramBase * elem;
            long end = ((long)m.DramBase + ((long)(m.YSize - 1) * m.XStride) + m.XSize) * elem;
            if (end > arenaBytes)
            {
                throw new ProgramFormatException($"{where}, instruction {i}: {m.Op} {m.MemoryType} touches bytes [{first}, {end}) outside the {arenaBytes}-byte arena");
            }
        }
    }
}

/// <summary>A program or package that cannot be run as it is.</summary>
public sealed class ProgramFormatException(string message, Exception? inner = null) : Exception(message, inner);
