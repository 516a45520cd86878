using System.Collections;
using Vta.Hardware.Isa;

namespace Vta.Rpc.Backends;

/// <summary>
/// A decoded program the simulators read instruction by instruction as they execute it: every read checks the
/// stop token, so a run that is taking too long ends at the next instruction (the simulators have no other hook).
/// </summary>
internal sealed class CancellableProgram(IReadOnlyList<Instruction> program, CancellationToken stop) : IReadOnlyList<Instruction>
{
    public int Count => program.Count;

    public Instruction this[int index]
    {
        get
        {
            stop.ThrowIfCancellationRequested();
            return program[index];
        }
    }

    public IEnumerator<Instruction> GetEnumerator()
    {
        for (int i = 0; i < program.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
