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
    public void Run(uint insnPhysAddr, int insnCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(insnCount);
        ReadOnlySpan<byte> bytes;
        try
        {
            bytes = Dram.Span(insnPhysAddr, (long)insnCount * VtaConfig.InsnBytes);
        }
        catch (DramException e)
        {
            throw new VtaSimException($"cannot read {insnCount} instructions at DRAM 0x{insnPhysAddr:X8}: {e.Message}", null, e);
        }

        var program = new Instruction[insnCount];
        for (int i = 0; i < insnCount; i++)
        {
            try
            {
                program[i] = _decoder.Decode(InsnDecoder.ReadWord(bytes[(i * VtaConfig.InsnBytes)..]), i);
            }
            catch (IsaException e)
            {
                string prefix = $"instruction {i}: ";
                throw new VtaSimException(e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message, i, e);
            }
        }

        Run(program);
    }

    /// <summary>Runs an already decoded program (must end with exactly one FINISH).</summary>
    public void Run(IReadOnlyList<Instruction> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        CheckFinish(program);
        for (int i = 0; i < program.Count; i++)
        {
            _core.Validate(program[i], i);
        }

        new TaskPipeline(DependencyQueueDepth).Run(program, _core.ExecuteValidated);
    }

    private static void CheckFinish(IReadOnlyList<Instruction> program)
    {
        if (program.Count == 0)
        {
            throw new VtaSimException("empty instruction stream: a stream must end with one FINISH");
        }

        for (int i = 0; i < program.Count - 1; i++)
        {
            if (program[i] is FinishInsn)
            {
                throw new VtaSimException($"FINISH before the end of the stream ({program.Count} instructions): FINISH must be the last instruction, and only once", i);
            }
        }

        int last = program.Count - 1;
        if (program[last] is not FinishInsn)
        {
            throw new VtaSimException($"the stream ends with {TaskPipeline.Mnemonic(program[last])}, not FINISH", last);
        }
    }
}
