using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// TVM's behavioral simulator (fsim) as a library: decode and validate the whole stream, then run it through the
/// load/compute/store pipeline with dependency tokens. Unlike fsim it never hangs or loops: invalid programs, deadlocks
/// and leftover tokens are <see cref="VtaSimException"/>s naming the instruction.
/// </summary>
public sealed class BehavioralSimulator
{
    private readonly VtaCore _core;
    private readonly InsnDecoder _decoder;
    private int _dependencyQueueDepth = 1024;

    public BehavioralSimulator(VtaConfig config, Dram dram)
    {
        _core = new VtaCore(config, dram);
        _decoder = new InsnDecoder(config);
    }

    public VtaConfig Config => _core.Config;

    public Dram Dram => _core.Dram;

    /// <summary>Accumulates over runs until <see cref="SimCounters.Clear"/>.</summary>
    public SimCounters Counters => _core.Counters;

    public SramBuffers Sram => _core.Sram;

    /// <summary>The data engine (shared with timing models).</summary>
    public VtaCore Core => _core;

    public PortBases Bases
    {
        get => _core.Bases;
        set => _core.Bases = value ?? throw new ArgumentNullException(nameof(value));
    }

    public OutSemantics Semantics
    {
        get => _core.Semantics;
        set => _core.Semantics = value;
    }

    public bool SkipExecution
    {
        get => _core.SkipExecution;
        set => _core.SkipExecution = value;
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
    public void Run(uint insnPhysAddr, int insnCount) => Run(ProgramReader.Read(Dram, _decoder, insnPhysAddr, insnCount));

    /// <summary>Runs an already decoded program (must end with exactly one FINISH).</summary>
    public void Run(IReadOnlyList<Instruction> program)
    {
        ProgramReader.Validate(program, _core);
        new TaskPipeline(DependencyQueueDepth).Run(program, _core.ExecuteValidated);
    }
}
