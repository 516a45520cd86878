using System.Globalization;
using Vta.Compiler.Running;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using Vta.Runtime;
using Vta.Runtime.Devices;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Compiler.Sweeps;

/// <summary>A workload run <see cref="Count"/> times in the network the set stands for.</summary>
public sealed record WeightedWorkload(Workload Workload, int Count);

/// <summary>
/// A set of operator workloads, each compiled with <see cref="OpCompiler"/> and timed on its own run of one
/// <see cref="TimingDevice"/> in skip-execution mode (the counters and cycles are the same as a full run's, without the
/// data work); the point's figures are each workload's times its count, summed.
/// </summary>
public sealed class WorkloadSetTarget(string name, IReadOnlyList<WeightedWorkload> workloads) : ISweepTarget
{
    public string Name { get; } = name;

    public IReadOnlyList<WeightedWorkload> Workloads { get; } = workloads;

    public string Definition => string.Join(";", Workloads.Select(w => $"{w.Workload.Spec}x{w.Count.ToString(CultureInfo.InvariantCulture)}"));

    public SweepOutcome Evaluate(VtaConfig config, TimingParameters timing)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(timing);
        var counters = new SimCounters();
        long cycles = 0, useful = 0, gemms = 0;
        string current = Name;
        try
        {
            using var device = new TimingDevice(config, parameters: timing) { SkipExecution = true };
            foreach (var (workload, count) in Workloads)
            {
                current = workload.Name;
                var op = OpCompiler.Compile(workload, config);
                device.ClearCounters();
                op.Execute(device, OpData.Random(op.Workload, seed: 0));
                var report = device.TotalReport;
                cycles += report.Cycles * count;
                useful += report.GemmUsefulCycles * count;
                gemms += report.Kind(InsnKind.Gemm).Count * count;
                Add(counters, device.ReadCounters(), count);
            }
        }
        catch (VtaCompileException e)
        {
            return SweepOutcome.Failed(e.Message);
        }
        catch (Exception e) when (e is VtaConfigException or VtaSimException or VtaRuntimeException or DramException or ArgumentException)
        {
            // A program the simulator refuses, or timing parameters out of range: the point's fault, not the sweep's.
            return SweepOutcome.Failed($"{current}: {e.Message}");
        }

        double seconds = cycles / (timing.ClockMHz * 1e6);
        return new SweepOutcome(cycles, seconds, cycles == 0 ? 0 : (double)useful / cycles, gemms, counters, null);
    }

    private static void Add(SimCounters sum, SimCounters run, int count)
    {
        for (int i = 0; i < count; i++)
        {
            sum.Add(run);
        }
    }
}

/// <summary>Resolves a sweep target name: a named workload set, one workload, or (later) a model.</summary>
public static class SweepTargets
{
    /// <summary>A whole model rather than an operator set: zoo:NAME, an .onnx or a .tflite file.</summary>
    public static bool IsModelName(string name) =>
        ModelZoo.Zoo.IsZooName(name) || name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tflite", StringComparison.OrdinalIgnoreCase);

    /// <summary>The named sets and what each stands for.</summary>
    public static IReadOnlyList<(string Name, string Description)> Sets { get; } =
    [
        ("ops:resnet18", "ResNet-18's VTA conv layers C2–C11 with their counts in the network (19 layers)"),
        ("ops:mobilenet", "MobileNet's grouped convolutions D1–D9 (TVM's shapes), D7 five times as in MobileNet v1"),
        ("ops:dcgan", "DCGAN's transposed convolutions CT1–CT3"),
    ];

    public static ISweepTarget Resolve(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        switch (name.ToLowerInvariant())
        {
            case "ops:resnet18":
                return Set(name, "resnet18.C", WorkloadCatalog.ResNet18Occurrences);
            case "ops:mobilenet":
                return Set(name, "mobilenet.D", w => w == "mobilenet.D7" ? 5 : 1);
            case "ops:dcgan":
                return Set(name, "dcgan.CT", _ => 1);
        }

        // Whole models (zoo:NAME, .onnx, .tflite) are imported by the command line, which builds a ModelSweepTarget.
        if (IsModelName(name))
        {
            throw new FormatException($"'{name}' is a model: import it and sweep a {nameof(ModelSweepTarget)}");
        }

        if (name.StartsWith("ops:", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"unknown workload set '{name}' (known: {string.Join(", ", Sets.Select(s => s.Name))})");
        }

        var one = WorkloadCatalog.Resolve(name);
        return new WorkloadSetTarget(name, [new WeightedWorkload(one, 1)]);
    }

    private static WorkloadSetTarget Set(string name, string prefix, Func<string, int> count) =>
        new(name.ToLowerInvariant(), [.. WorkloadCatalog.All
            .Where(w => w.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(w => new WeightedWorkload(w, count(w.Name)))]);
}
