namespace Vta.Cli.Sim;

/// <summary>One memory type's DRAM region in a bare-metal run: the file it came from and its size in elements.</summary>
internal sealed record PortRegion(string Port, string Option, string? File, int ElemBytes, long Elements, uint Base)
{
    /// <summary>What the region holds, for messages.</summary>
    public string Describe() => (File, Port) switch
    {
        (_, "OUT") => $"{Option} {Elements} gives the OUT region {Elements * ElemBytes} bytes",
        (null, _) => $"no {Option} file was given, so the {Port} port has no DRAM region",
        _ => $"{File} holds {Elements} {Port} elements ({Elements * ElemBytes} bytes)",
    };

    /// <summary>Element count of a file, which must hold whole elements.</summary>
    public static long ElementsOf(string file, long bytes, int elemBytes, string port)
    {
        if (bytes == 0)
        {
            throw new InvalidDataException($"{file}: the {port} file is empty");
        }

        if (bytes % elemBytes != 0)
        {
            throw new InvalidDataException($"{file}: {bytes} bytes is not a whole number of {elemBytes}-byte {port} elements");
        }

        return bytes / elemBytes;
    }
}
