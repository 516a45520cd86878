using Vta.Compiler.Running;
using Vta.Compiler.Sweeps;
using Vta.Compiler.Tests.Infrastructure;
using Vta.Compiler.Tiling;
using Vta.Compiler.Tuning;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Tuning;

public class TilingTunerTests
{
    internal static IReadOnlyList<TuningTask> Tasks(VtaConfig config, params string[] specs) =>
        TuningTasks.FromWorkloads(specs.Select(s => new WeightedWorkload(WorkloadCatalog.Resolve(s), 1)), config);

    [Fact]
    public void TunedCyclesAreTheFastestCandidateAndNeverAboveTheDefault()
    {
        var config = VtaConfig.Default;
        var tasks = Tasks(config, "conv2d:n=1,h=10,w=10,ci=32,co=32,k=3,pad=1", "dense:n=1,ci=128,co=64",
            "conv2d:n=1,h=8,w=8,ci=64,co=64,k=3,pad=1,groups=2", "conv2d_transpose:n=1,h=4,w=4,ci=32,co=32,k=4,pad=1,stride=2");
        var options = new TuningOptions { Trials = 4, Seed = 3 };
        var result = new TilingTuner(config, options).Tune(tasks);

        Assert.Equal(tasks.Count, result.Layers.Count);
        foreach (var layer in result.Layers)
        {
            var (p, e) = layer.Task.Lowering;
            Assert.Equal(DefaultTilingPolicy.Instance.Choose(p, e, config), layer.DefaultTiling);
            Assert.True(layer.Best.Cycles <= layer.Default.Cycles, layer.Task.Workload);
            Assert.Equal(0, layer.Failed);

            // Independently: each candidate compiled by the operator compiler and run with real data on a fresh device.
            var candidates = CandidateSampler.Candidates(layer.Task, config, options.Trials, options.Seed, out _);
            Assert.Equal(Math.Min(options.Trials, layer.SpaceSize), candidates.Count);
            var cycles = candidates.Select(t => FullRunCycles(layer.Task.Workload, config, t)).ToList();
            Assert.Equal(cycles[0], layer.Default.Cycles);
            Assert.Equal(cycles.Min(), layer.Best.Cycles);
            Assert.Equal(cycles[candidates.ToList().IndexOf(layer.BestTiling)], layer.Best.Cycles);
        }

        Assert.True(result.BestCycles <= result.DefaultCycles);
        Assert.Equal(result.Layers.Sum(l => l.Default.Cycles), result.DefaultCycles);
    }

    [Fact]
    public void TheSampleIsSeededDistinctAndStartsWithTheDefault()
    {
        var config = VtaConfig.Default;
        var task = Tasks(config, "resnet18.C5")[0];
        var a = CandidateSampler.Candidates(task, config, 12, seed: 7, out int space);
        var again = CandidateSampler.Candidates(task, config, 12, seed: 7, out _);
        var other = CandidateSampler.Candidates(task, config, 12, seed: 8, out _);
        var all = CandidateSampler.Candidates(task, config, int.MaxValue, seed: 0, out _);

        Assert.Equal(12, a.Count);
        Assert.Equal(a, again);
        Assert.NotEqual(a, other);
        Assert.Equal(a.Count, a.Distinct().Count());
        Assert.Equal(DefaultTilingPolicy.Instance.Choose(task.Lowering.Problem, task.Lowering.Epilogue, config), a[0]);
        Assert.Equal(a[0], other[0]);
        // The policy's double-buffered choice is always a seed (the byte model picks one ACC buffer for C5).
        var doubled = CandidateSampler.CheapestWith(task, config, 2);
        Assert.NotNull(doubled);
        Assert.Equal(2, doubled.AccBuffers);
        Assert.Contains(doubled, a.Take(3));
        Assert.Contains(doubled, other.Take(3));
        Assert.Equal(space, all.Count);
        Assert.Equal(TilingSpace.Fitting(task.Lowering.Problem, task.Lowering.Epilogue, config, everyChunk: true).Count(), space);
        Assert.Single(CandidateSampler.Candidates(task, config, 1, seed: 7, out _));
    }

    /// <summary>Cycles of a workload with one tiling through OpCompiler and ConvOp.Execute, data work included.</summary>
    private static long FullRunCycles(string spec, VtaConfig config, ConvTiling tiling)
    {
        var op = OpCompiler.Compile(WorkloadCatalog.Resolve(spec), config, new FixedTilingPolicy(tiling));
        using var device = new TimingDevice(config);
        op.Execute(device, OpData.Random(op.Workload, seed: 11));
        return device.TotalReport.Cycles;
    }
}
