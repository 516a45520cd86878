namespace Vta.Hardware.Isa;

/// <summary>An instruction or micro-op that cannot be encoded or decoded; names the index and the field.</summary>
public sealed class IsaException : Exception
{
    public IsaException(string message, int? index = null, string? field = null, string unit = "instruction")
        : base((index is null ? "" : $"{unit} {index}: ") + message)
    {
        Index = index;
        Field = field;
    }

    /// <summary>Index of the instruction (or micro-op) in its stream, when known.</summary>
    public int? Index { get; }

    public string? Field { get; }
}
