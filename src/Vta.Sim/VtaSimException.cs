namespace Vta.Sim;

/// <summary>
/// An invalid program or a failed run. The message starts with "instruction N: " when one instruction is at fault;
/// a deadlock also lists every blocked module with its instruction and the queue it waits on.
/// </summary>
public sealed class VtaSimException : Exception
{
    public VtaSimException(string message, int? instructionIndex = null, Exception? inner = null)
        : base((instructionIndex is null ? "" : $"instruction {instructionIndex}: ") + message, inner)
    {
        InstructionIndex = instructionIndex;
    }

    /// <summary>A deadlock; <paramref name="firstBlocked"/> is the lowest blocked instruction index.</summary>
    public VtaSimException(string message, IReadOnlyList<string> blockedModules, int? firstBlocked)
        : base(message + ": " + string.Join("; ", blockedModules))
    {
        BlockedModules = blockedModules;
        InstructionIndex = firstBlocked;
    }

    public int? InstructionIndex { get; }

    /// <summary>For a deadlock: one line per module that could not finish (its instruction and what it waits for).</summary>
    public IReadOnlyList<string> BlockedModules { get; } = [];
}
