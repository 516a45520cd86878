namespace Vta.Runtime.Commands;

public sealed record CommandQueueOptions
{
    /// <summary>Every instruction waits for the one before it (TVM's FORCE_SERIAL debug flag).</summary>
    public bool ForceSerial { get; init; }

    /// <summary>Instructions staged before an automatic synchronization (TVM: VTA_MAX_XFER / 16).</summary>
    public int InsnCapacity { get; init; } = 1 << 16;

    /// <summary>Micro-ops staged before an automatic synchronization.</summary>
    public int UopCapacity { get; init; } = 1 << 16;

    /// <summary>Where to write a listing of each stream before it runs (instructions, uops, token balances); null for none.</summary>
    public Action<StreamListing>? Dump { get; init; }
}
