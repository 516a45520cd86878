using Vta.Compiler.Tiling;
using Vta.Hardware.Config;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tuning;

/// <summary>One layer timed three ways: serial, one accumulator buffer, two (null when two do not fit).</summary>
public sealed record BufferingRow(TuningTask Task, ConvTiling SerialTiling, PlanTiming Serial, ConvTiling Single, PlanTiming SingleTiming,
    ConvTiling? Double, PlanTiming? DoubleTiming);

/// <summary>
/// How much latency hiding buys per layer (issue 7 item 2): the default policy's tiling with every instruction waiting
/// for the one before (<see cref="CommandQueueOptions.ForceSerial"/>: no overlap at all), the default policy's choice
/// among one-ACC-buffer tilings (loads overlap GEMMs through the INP/WGT ping-pong halves, but a tile's epilogue and
/// store do not overlap the next tile's GEMMs) and among two-ACC-buffer tilings (they do: TVM's virtual threads).
/// </summary>
public static class BufferingStudy
{
    public static IReadOnlyList<BufferingRow> Run(IReadOnlyList<TuningTask> tasks, VtaConfig config, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var rows = new BufferingRow[tasks.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount };
        Parallel.For(0, tasks.Count, options, i =>
        {
            var (problem, epilogue) = tasks[i].Lowering;
            using var device = new TimingDevice(config) { SkipExecution = true };
            PlanTiming Time(ConvTiling t, bool serial = false) =>
                PlanTimer.Measure(PlanTimer.Compile(tasks[i].Lowering, t, config), device, seed: 0, serial ? new CommandQueueOptions { ForceSerial = true } : null);

            var chosen = DefaultTilingPolicy.Instance.Choose(problem, epilogue, config);
            var single = CandidateSampler.CheapestWith(tasks[i], config, 1) ?? throw DefaultTilingPolicy.NothingFits(problem, epilogue, config);
            var two = CandidateSampler.CheapestWith(tasks[i], config, 2);
            rows[i] = new BufferingRow(tasks[i], chosen, Time(chosen, serial: true), single, Time(single), two, two is null ? null : Time(two));
        });
        return rows;
    }
}
