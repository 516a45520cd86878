using Vta.Compiler.Models;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Running;
using Vta.Compiler.Sweeps;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tuning;

/// <summary>
/// One layer shape to tune: its lowered form, its record key, the workload spec it came from (for people), the layers
/// that share it and how often it runs in the network (for whole-network totals).
/// </summary>
public sealed record TuningTask(string Key, ConvLowering Lowering, string Workload, IReadOnlyList<string> Layers, int Count);

/// <summary>The tasks of a compiled model or of a set of operator workloads, one per distinct key, in first-seen order.</summary>
public static class TuningTasks
{
    /// <summary>Every VTA layer of a compiled model (layers of one shape and epilogue kind become one task).</summary>
    public static IReadOnlyList<TuningTask> FromModel(CompiledModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Group(model.VtaLayers.Select(l => (l.Node.Name, l.Workload.Spec, new ConvLowering(l.Plan.Problem, l.Plan.Epilogue), 1)));
    }

    /// <summary>The conv-family workloads of a set (element-wise work has no tiling to tune and is left out).</summary>
    public static IReadOnlyList<TuningTask> FromWorkloads(IEnumerable<WeightedWorkload> workloads, VtaConfig config)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        var items = new List<(string, string, ConvLowering, int)>();
        foreach (var (workload, count) in workloads)
        {
            if (OpCompiler.Compile(workload, config) is ConvOp op)
            {
                items.Add((workload.Name, op.Workload.Spec, new ConvLowering(op.Plan.Problem, op.Plan.Epilogue), count));
            }
        }

        return Group(items);
    }

    private static List<TuningTask> Group(IEnumerable<(string Layer, string Spec, ConvLowering Lowering, int Count)> items)
    {
        var tasks = new List<TuningTask>();
        var byKey = new Dictionary<string, int>();
        foreach (var (layer, spec, lowering, count) in items)
        {
            string key = WorkloadKey.Of(lowering.Problem, lowering.Epilogue);
            if (byKey.TryGetValue(key, out int i))
            {
                var t = tasks[i];
                tasks[i] = t with { Layers = [.. t.Layers, layer], Count = t.Count + count };
            }
            else
            {
                byKey[key] = tasks.Count;
                tasks.Add(new TuningTask(key, lowering, spec, [layer], count));
            }
        }

        return tasks;
    }
}
