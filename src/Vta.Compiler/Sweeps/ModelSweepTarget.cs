using System.Security.Cryptography;
using System.Text;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Compiler.Programs;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime;
using Vta.Runtime.Devices;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Compiler.Sweeps;

/// <summary>
/// A whole (quantized) model as a sweep target: at each configuration the model is compiled and its VTA program timed
/// on the timing simulator (data movement and arithmetic skipped: cycles and counters do not depend on values). A
/// configuration on which some layer that VTA should run cannot be compiled is a failed point naming the layer, since
/// its cycles would silently leave that layer out.
/// </summary>
public sealed class ModelSweepTarget : ISweepTarget
{
    private readonly Graph _graph;

    public ModelSweepTarget(string name, Graph quantizedGraph)
    {
        ArgumentNullException.ThrowIfNull(quantizedGraph);
        Name = name;
        _graph = quantizedGraph;
        (System.Text.Json.Nodes.JsonObject json, byte[] constants) = GraphJson.Write(quantizedGraph);
        byte[] hash = SHA256.HashData([.. Encoding.UTF8.GetBytes(json.ToJsonString()), .. constants]);
        Definition = $"model {name} graph-sha256 {Convert.ToHexStringLower(hash)}";
    }

    public string Name { get; }

    public string Definition { get; }

    public SweepOutcome Evaluate(VtaConfig config, TimingParameters timing)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(timing);
        try
        {
            CompiledModel model = ModelCompiler.Compile(_graph, config);
            if (model.Graph.Nodes.FirstOrDefault(n => n.Op is VtaConv2d or VtaDense && ModelCompiler.TargetOf(n) == ExecutionTarget.Cpu) is { } refused)
            {
                return SweepOutcome.Failed(model.Notes.FirstOrDefault(n => n.StartsWith(refused.Name, StringComparison.Ordinal))
                    ?? $"{refused.Name} cannot run on VTA at this configuration");
            }

            using var device = new TimingDevice(config, parameters: timing) { SkipExecution = true };
            using (var bound = new BoundProgram(model.Program, model.Graph, device))
            {
                bound.RunVtaStepsOnly();
            }

            TimingReport report = device.TotalReport;
            return new SweepOutcome(report.Cycles, report.Seconds, report.GemmUtilization, report.Kind(InsnKind.Gemm).Count, device.ReadCounters(), null);
        }
        catch (Exception e) when (e is VtaCompileException or VtaConfigException or VtaSimException or VtaRuntimeException or DramException or ArgumentException)
        {
            return SweepOutcome.Failed(e.Message);
        }
    }
}
