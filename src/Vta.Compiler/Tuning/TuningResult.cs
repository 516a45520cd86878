using Vta.Compiler.Tiling;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tuning;

/// <summary>One task tuned: the space, the default policy's tiling and time, the fastest candidate and its time.</summary>
public sealed record LayerTuning(
    TuningTask Task,
    int SpaceSize,
    int Evaluated,
    int Failed,
    ConvTiling DefaultTiling,
    PlanTiming Default,
    ConvTiling BestTiling,
    PlanTiming Best)
{
    /// <summary>Share of the default's cycles the best tiling saves (0 when the default is the best).</summary>
    public double Saved => Default.Cycles == 0 ? 0 : 1 - ((double)Best.Cycles / Default.Cycles);
}

/// <summary>A tuning run: every task at one configuration, and the network totals (each layer times its count).</summary>
public sealed record TuningResult(VtaConfig Config, TuningOptions Options, IReadOnlyList<LayerTuning> Layers)
{
    public long DefaultCycles => Layers.Sum(l => l.Default.Cycles * l.Task.Count);

    public long BestCycles => Layers.Sum(l => l.Best.Cycles * l.Task.Count);

    public double Saved => DefaultCycles == 0 ? 0 : 1 - ((double)BestCycles / DefaultCycles);

    public double DefaultUtilization => Utilization(l => l.Default);

    public double BestUtilization => Utilization(l => l.Best);

    /// <summary>The records file of this run; <paramref name="source"/> says what was tuned (a model path or a workload set).</summary>
    public TuningRecords ToRecords(string source) => new(
        Config.Model,
        ConfigFingerprint.Of(Config),
        source,
        Options.Trials,
        Options.Seed,
        [.. Layers.Select(l => new TuningRecord(l.Task.Key, l.Task.Workload, l.Task.Layers, l.Task.Count, l.BestTiling, l.Best.Cycles,
            l.DefaultTiling, l.Default.Cycles, l.Evaluated, l.SpaceSize))]);

    private double Utilization(Func<LayerTuning, PlanTiming> pick)
    {
        long cycles = Layers.Sum(l => pick(l).Cycles * l.Task.Count);
        return cycles == 0 ? 0 : (double)Layers.Sum(l => pick(l).GemmUsefulCycles * l.Task.Count) / cycles;
    }
}
