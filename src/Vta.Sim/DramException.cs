namespace Vta.Sim;

/// <summary>A simulated-DRAM access outside every live allocation, or a bad allocate/free request.</summary>
public sealed class DramException : Exception
{
    public DramException(string message, uint? address = null)
        : base(message)
    {
        Address = address;
    }

    /// <summary>The physical byte address involved, when there is one.</summary>
    public uint? Address { get; }
}
