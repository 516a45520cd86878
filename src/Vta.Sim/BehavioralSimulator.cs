using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// TVM's behavioral simulator (fsim) as a library: decode and validate the whole stream, then run it through the
/// load/compute/store pipeline with dependency tokens. Unlike fsim it never hangs or loops: invalid programs, deadlocks
/// and leftover tokens are <see cref="VtaSimException"/>s naming the instruction.
/// </summary>
public sealed class BehavioralSimulator : SimulatorBase
{
    private int _dependencyQueueDepth = 1024;

    public BehavioralSimulator(VtaConfig config, Dram dram)
        : base(config, dram)
    {
    }

    /// <summary>Capacity of each dependency-token queue; a push into a full queue blocks.</summary>
    public int DependencyQueueDepth
    {
        get => _dependencyQueueDepth;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _dependencyQueueDepth = value;
        }
    }

    /// <summary>Runs <paramref name="insnCount"/> 16-byte instructions read from DRAM at <paramref name="insnPhysAddr"/>.</summary>
    public void Run(uint insnPhysAddr, int insnCount) => Run(ProgramReader.Read(Dram, Decoder, insnPhysAddr, insnCount));

    /// <summary>Runs an already decoded program (must end with exactly one FINISH).</summary>
    public void Run(IReadOnlyList<Instruction> program)
    {
        ProgramReader.Validate(program, Core);
        Core.AccessObserver?.BeginRun(program);
        new TaskPipeline(DependencyQueueDepth).Run(program, Core.ExecuteValidated);
    }
}
