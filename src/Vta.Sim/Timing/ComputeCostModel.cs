using Vta.Hardware.Isa;

namespace Vta.Sim.Timing;

/// <summary>
/// The compute side of the cost model: GEMM and ALU durations from their uop counts, O(1) per instruction. A GEMM or
/// ALU without uops pays only the instruction overhead (there is nothing to fill or drain).
/// </summary>
public sealed class ComputeCostModel
{
    private readonly TimingParameters _p;

    public ComputeCostModel(TimingParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _p = parameters;
    }

    /// <summary>overhead + N × cycles per uop + pipeline fill and drain, where N = iter_out × iter_in × (uop_end − uop_bgn).</summary>
    public long Gemm(GemmInsn g)
    {
        long n = g.UopCount;
        return _p.ComputeInsnOverhead + (n == 0 ? 0 : (n * _p.GemmCyclesPerUop) + _p.GemmPipelineCycles);
    }

    /// <summary>Cycles the GEMM array does useful multiply-accumulates in: none for a reset GEMM.</summary>
    public long GemmUsefulCycles(GemmInsn g) => g.ResetReg ? 0 : g.UopCount * _p.GemmCyclesPerUop;

    /// <summary>overhead + N × (1 with an immediate, 2 without) + drain.</summary>
    public long Alu(AluInsn a)
    {
        long n = a.UopCount;
        int perUop = a.UseImm ? _p.AluCyclesPerUopImm : _p.AluCyclesPerUop;
        return _p.ComputeInsnOverhead + (n == 0 ? 0 : (n * perUop) + _p.AluPipelineCycles);
    }

    /// <summary>FINISH and compute-side NOPs (x_size 0 loads) cost the overhead alone ("sync = 2 cycles", §6).</summary>
    public long Sync() => _p.ComputeInsnOverhead;
}
