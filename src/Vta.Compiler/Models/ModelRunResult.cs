using Vta.Compiler.Graphs;
using Vta.Sim;

namespace Vta.Compiler.Models;

/// <summary>
/// One step of a run: where it ran, how long it took on the host, and the device counters it added (zero on the CPU).
/// On a device that models time, a VTA step also has the cycles and the timing report (per-module busy, stalled, idle) it added.
/// </summary>
public sealed record LayerRecord(string Name, string Kind, ExecutionTarget Target, double Seconds, SimCounters Counters, long? Cycles = null,
    Vta.Sim.Timing.TimingReport? Timing = null);

/// <summary>What <see cref="CompiledModel.Run"/> returns.</summary>
public sealed record ModelRunResult(
    IReadOnlyDictionary<string, Tensor> Outputs,
    SimCounters Counters,
    IReadOnlyList<LayerRecord> Layers,
    double Seconds,
    IReadOnlyDictionary<string, Tensor>? Values)
{
    /// <summary>Seconds spent in VTA steps (simulation included) and in CPU steps (kernels and layout conversions).</summary>
    public double VtaSeconds => Layers.Where(l => l.Target == ExecutionTarget.Vta).Sum(l => l.Seconds);

    public double CpuSeconds => Layers.Where(l => l.Target == ExecutionTarget.Cpu).Sum(l => l.Seconds);

    /// <summary>Device cycles summed over VTA steps, when the device models time.</summary>
    public long? Cycles => Layers.Any(l => l.Cycles is not null) ? Layers.Sum(l => l.Cycles ?? 0) : null;
}

/// <summary>How far a run has got.</summary>
public readonly record struct RunProgress(int Done, int Total, string Step);

/// <summary>Options of one run.</summary>
public sealed record ModelRunOptions
{
    /// <summary>Keep every value (VTA outputs downloaded and unpacked) in <see cref="ModelRunResult.Values"/>, for per-layer checks.</summary>
    public bool KeepValues { get; init; }

    public Vta.Runtime.Commands.CommandQueueOptions? Queue { get; init; }

    /// <summary>The back end of the CPU nodes (default: the managed kernels); prepared once per graph and back end.</summary>
    public Vta.Compiler.Cpu.ICpuBackend? CpuBackend { get; init; }

    /// <summary>A CPU part already prepared (<see cref="CompiledModel.PrepareCpu"/>); takes precedence over <see cref="CpuBackend"/>.</summary>
    public Vta.Compiler.Cpu.IPreparedCpu? PreparedCpu { get; init; }

    /// <summary>Told after each step: steps done, steps in all, the step's name (for progress bars on long runs).</summary>
    public IProgress<RunProgress>? Progress { get; init; }

    /// <summary>The prepared CPU part a run of <paramref name="graph"/> uses.</summary>
    internal Vta.Compiler.Cpu.IPreparedCpu CpuFor(Graph graph) => PreparedCpu
        ?? Vta.Compiler.Cpu.CpuBackends.PrepareFor(graph, CpuBackend ?? Vta.Compiler.Cpu.ManagedCpuBackend.Instance);
}
