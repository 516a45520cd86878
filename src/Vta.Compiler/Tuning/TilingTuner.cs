using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Vta.Compiler.Tiling;
using Vta.Hardware.Config;
using Vta.Runtime;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Compiler.Tuning;

/// <summary>
/// Searches each task's tilings by their cycles on the timing simulator: the candidates of every task are timed in one
/// parallel loop (one <see cref="TimingDevice"/> per worker), and each task keeps its fastest. The default policy's
/// tiling is always a candidate, so a tuned layer is never slower than the default; ties keep the default.
/// </summary>
public sealed class TilingTuner(VtaConfig config, TuningOptions? options = null)
{
    public VtaConfig Config { get; } = config ?? throw new ArgumentNullException(nameof(config));

    public TuningOptions Options { get; } = options ?? new TuningOptions();

    public TuningResult Tune(IReadOnlyList<TuningTask> tasks, IProgress<TuningProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        Options.Validate();
        var spaces = new int[tasks.Count];
        var candidates = new IReadOnlyList<ConvTiling>[tasks.Count];
        for (int i = 0; i < tasks.Count; i++)
        {
            candidates[i] = CandidateSampler.Candidates(tasks[i], Config, Options.Trials, Options.Seed, out spaces[i]);
        }

        var work = candidates.SelectMany((list, task) => list.Select((_, k) => (Task: task, Candidate: k))).ToList();
        var timings = candidates.Select(list => new PlanTiming?[list.Count]).ToArray();
        var failures = candidates.Select(list => new string?[list.Count]).ToArray();
        var clock = Stopwatch.StartNew();
        var gate = new object();
        int done = 0;
        progress?.Report(new TuningProgress(0, work.Count, "", TimeSpan.Zero));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism, CancellationToken = cancel };
        try
        {
            Parallel.ForEach(work, parallel,
                () => new TimingDevice(Config) { SkipExecution = Options.SkipExecution },
                (item, _, device) =>
                {
                    var (t, k) = item;
                    try
                    {
                        var plan = PlanTimer.Compile(tasks[t].Lowering, candidates[t][k], Config);
                        timings[t][k] = PlanTimer.Measure(plan, device, Options.Seed);
                    }
                    catch (Exception e) when (k > 0 && e is VtaCompileException or VtaRuntimeException or VtaSimException)
                    {
                        // A sampled tiling the emitter or simulator refuses is a lost trial, not a failed run; the default must work.
                        failures[t][k] = e.Message;
                    }

                    lock (gate)
                    {
                        done++;
                        progress?.Report(new TuningProgress(done, work.Count, tasks[t].Layers[0], clock.Elapsed));
                    }

                    return device;
                },
                device => device.Dispose());
        }
        catch (AggregateException e)
        {
            // The default tiling of a layer failed: the same error a compile would give, not a wrapper.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var layers = new List<LayerTuning>();
        for (int t = 0; t < tasks.Count; t++)
        {
            var def = timings[t][0]!.Value;
            int best = 0;
            for (int k = 1; k < candidates[t].Count; k++)
            {
                if (timings[t][k] is { } timing && timing.Cycles < timings[t][best]!.Value.Cycles)
                {
                    best = k;
                }
            }

            layers.Add(new LayerTuning(tasks[t], spaces[t], candidates[t].Count, failures[t].Count(f => f is not null),
                candidates[t][0], def, candidates[t][best], timings[t][best]!.Value));
        }

        return new TuningResult(Config, Options, layers);
    }
}
