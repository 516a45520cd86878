using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Timing;

/// <summary>Instruction kinds the report totals cycles by (a fixed list: reports keep this order).</summary>
public enum InsnKind
{
    LoadInp,
    LoadWgt,
    LoadUop,

    /// <summary>LOAD ACC and ACC_8BIT.</summary>
    LoadAcc,
    Store,
    Gemm,
    GemmReset,

    /// <summary>ALU reading a second accumulator tile (2 cycles per uop).</summary>
    Alu,

    /// <summary>ALU with an immediate (1 cycle per uop).</summary>
    AluImm,

    /// <summary>LOAD or STORE with x_size 0: dependency tokens only.</summary>
    Nop,
    Finish,
}

/// <summary>
/// Duration of one instruction on its module: the memory model for LOAD/STORE and the compute model for GEMM/ALU,
/// chosen by kind. The scheduler asks it once per instruction and never steps through an instruction's cycles.
/// </summary>
public sealed class CostModel
{
    private readonly TimingParameters _p;

    public CostModel(VtaConfig config, TimingParameters parameters, PortBases? bases = null, OutSemantics semantics = OutSemantics.Fsim)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parameters);
        _p = parameters;
        Memory = new MemoryCostModel(config, parameters);
        Compute = new ComputeCostModel(parameters);
        Bases = bases ?? PortBases.Zero;
        Semantics = semantics;
    }

    public MemoryCostModel Memory { get; }

    public ComputeCostModel Compute { get; }

    public PortBases Bases { get; }

    public OutSemantics Semantics { get; }

    public TimingParameters Parameters => _p;

    public static InsnKind KindOf(Instruction insn) => insn switch
    {
        MemInsn { IsNop: true } => InsnKind.Nop,
        MemInsn { Op: Opcode.Store } => InsnKind.Store,
        MemInsn { MemoryType: MemoryType.Inp } => InsnKind.LoadInp,
        MemInsn { MemoryType: MemoryType.Wgt } => InsnKind.LoadWgt,
        MemInsn { MemoryType: MemoryType.Uop } => InsnKind.LoadUop,
        MemInsn => InsnKind.LoadAcc,
        GemmInsn { ResetReg: true } => InsnKind.GemmReset,
        GemmInsn => InsnKind.Gemm,
        AluInsn { UseImm: true } => InsnKind.AluImm,
        AluInsn => InsnKind.Alu,
        _ => InsnKind.Finish,
    };

    /// <summary>Cycles the instruction keeps its module busy, from the start of its work to its end (tokens excluded).</summary>
    public long Cycles(Instruction insn)
    {
        var module = PipelineRouting.ModuleOf(insn);
        int overhead = module == PipelineModule.Compute ? _p.ComputeInsnOverhead : _p.MemoryInsnOverhead;
        return insn switch
        {
            MemInsn { Op: Opcode.Store } m => Memory.Store(m, Bases, overhead),
            MemInsn m => Memory.Load(m, Bases, Semantics, overhead),
            GemmInsn g => Compute.Gemm(g),
            AluInsn a => Compute.Alu(a),
            _ => Compute.Sync(),
        };
    }

    /// <summary>Cycles of useful multiply-accumulates (non-reset GEMM uops); 0 for every other kind.</summary>
    public long GemmUsefulCycles(Instruction insn) => insn is GemmInsn g ? Compute.GemmUsefulCycles(g) : 0;
}
