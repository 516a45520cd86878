using System.Buffers.Binary;
using System.Text;

namespace Vta.Compiler.Tests.Llvm;

/// <summary>A minimal little-endian ELF reader: the machine and the defined global functions of a relocatable object.</summary>
internal sealed class ElfSymbols
{
    public const int MachineX86_64 = 62, MachineArm = 40, MachineAArch64 = 183;

    private ElfSymbols(bool is64, int machine, List<string> functions) => (Is64, Machine, DefinedFunctions) = (is64, machine, functions);

    public bool Is64 { get; }

    public int Machine { get; }

    public IReadOnlyList<string> DefinedFunctions { get; }

    public static ElfSymbols Read(byte[] elf)
    {
        ReadOnlySpan<byte> b = elf;
        if (b.Length < 52 || !b[..4].SequenceEqual("\u007fELF"u8))
        {
            throw new InvalidDataException("not an ELF file");
        }
        bool is64 = b[4] == 2;
        if (b[5] != 1)
        {
            throw new InvalidDataException("not little-endian");
        }
        int machine = U16(b, 18);
        long shoff = is64 ? (long)U64(b, 0x28) : U32(b, 0x20);
        int shentsize = U16(b, is64 ? 0x3A : 0x2E), shnum = U16(b, is64 ? 0x3C : 0x30);
        List<string> functions = [];
        for (int i = 0; i < shnum; i++)
        {
            ReadOnlySpan<byte> sh = b.Slice((int)shoff + (i * shentsize), shentsize);
            if (U32(sh, 4) != 2)
            {
                continue; // not SHT_SYMTAB
            }
            (long offset, long size, int link, long entsize) = is64
                ? ((long)U64(sh, 0x18), (long)U64(sh, 0x20), (int)U32(sh, 0x28), (long)U64(sh, 0x38))
                : (U32(sh, 0x10), U32(sh, 0x14), (int)U32(sh, 0x18), U32(sh, 0x24));
            ReadOnlySpan<byte> strtab = b.Slice((int)shoff + (link * shentsize), shentsize);
            long strOffset = is64 ? (long)U64(strtab, 0x18) : U32(strtab, 0x10);
            for (long s = offset; s + entsize <= offset + size; s += entsize)
            {
                ReadOnlySpan<byte> sym = b.Slice((int)s, (int)entsize);
                uint name = U32(sym, 0);
                byte info = is64 ? sym[4] : sym[12];
                int section = U16(sym, is64 ? 6 : 14);
                if (section != 0 && info >> 4 == 1 && (info & 0xF) == 2)
                {
                    ReadOnlySpan<byte> text = b[(int)(strOffset + name)..];
                    functions.Add(Encoding.ASCII.GetString(text[..text.IndexOf((byte)0)]));
                }
            }
        }
        return new ElfSymbols(is64, machine, functions);
    }

    private static int U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
