using Vta.Hardware.Isa;

namespace Vta.Runtime.Commands;

/// <summary>One synchronized stream as it is about to run: its instructions, the uops staged for it, and why it ran.</summary>
public sealed record StreamListing(IReadOnlyList<Instruction> Instructions, IReadOnlyList<Uop> Uops, bool Automatic);
