using Vta.Hardware.Config;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Compiler.Sweeps;

/// <summary>What a sweep evaluates at each point: a set of operator workloads today, a whole model later.</summary>
public interface ISweepTarget
{
    /// <summary>The name given on the command line (ops:resnet18, resnet18.C2, conv2d:…).</summary>
    string Name { get; }

    /// <summary>A stable text naming exactly what is evaluated (workload specs and multiplicities), hashed into the sweep definition.</summary>
    string Definition { get; }

    /// <summary>
    /// Compiles and times the target at one configuration. A configuration that cannot hold it (no tiling fits, a field
    /// overflows) is a <see cref="SweepOutcome"/> with a failure reason, never an exception.
    /// </summary>
    SweepOutcome Evaluate(VtaConfig config, TimingParameters timing);
}

/// <summary>One point's measurement, or why there is none.</summary>
/// <remarks><see cref="GemmInstructions"/> counts non-reset GEMM instructions (reset GEMMs move no data through the array).</remarks>
public sealed record SweepOutcome(long Cycles, double Seconds, double GemmUtilization, long GemmInstructions, SimCounters Counters, string? Failure)
{
    public bool Ok => Failure is null;

    /// <summary>Bytes the seven counters say crossed the DRAM bus: every load plus the stores.</summary>
    public long DramBytes => Counters.DramBytes;

    public static SweepOutcome Failed(string reason) => new(0, 0, 0, 0, new SimCounters(), reason);
}
