using Vta.Hardware.Isa;

namespace Vta.Sim.Races;

/// <summary>
/// Sees the SRAM elements every instruction touches, as the simulator executes it. Set one through
/// <see cref="SimulatorBase.AccessObserver"/>; without one the simulator pays a single null check per instruction.
/// </summary>
public interface ISramAccessObserver
{
    /// <summary>A run starts: <paramref name="program"/> is validated and no instruction of it has executed yet.</summary>
    void BeginRun(IReadOnlyList<Instruction> program);

    /// <summary>
    /// Instruction <paramref name="index"/> has just done its data work (calls come in the simulator's execution order,
    /// which respects every dependency token); the <see cref="Access"/> calls that follow are its own.
    /// </summary>
    void Instruction(int index, Instruction insn);

    /// <summary>The current instruction touched elements <paramref name="first"/> .. first + count − 1 of a buffer.</summary>
    void Access(SramBuffer buffer, int first, int count, SramAccess kind);
}
