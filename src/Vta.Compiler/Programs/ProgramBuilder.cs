using System.Runtime.InteropServices;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Ops.Conv2d;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Programs;

/// <summary>
/// Turns a <see cref="CompiledModel"/> into a <see cref="ModelProgram"/>: plans the activations (lifetimes over the
/// steps), records every VTA layer's instruction stream on a <see cref="RecordingDevice"/>, then lays the arena out and
/// relocates the recorded addresses to it. The program is data-independent: the same one runs every input.
/// </summary>
public static class ProgramBuilder
{
    public static ModelProgram Build(CompiledModel model, CommandQueueOptions? queue = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        VtaConfig config = model.Config;
        var recorder = new RecordingDevice(config);
        var drafts = Plan(model, recorder.Alignment, out MemoryPlanner planner);
        (long[] offsets, long activationBytes) = planner.Solve();

        var runsPerLayer = new Dictionary<VtaLayer, (int First, int Count)>();
        using (var commands = new CommandQueue(recorder, queue))
        {
            foreach (Draft d in drafts.Where(d => d.Layer is not null))
            {
                VtaLayer layer = d.Layer!;
                DeviceBuffer weights = recorder.AddConstant(MemoryMarshal.AsBytes(layer.PackedWeights.AsSpan()));
                DeviceBuffer bias = recorder.AddConstant(layer.PackedBias);
                DeviceBuffer shifts = recorder.AddConstant(layer.PackedShifts);
                DeviceBuffer data = recorder.PlaceActivation(offsets[d.Source], d.SourceBytes);
                // An exact layer's VTA part writes byte planes of its sums; the host finish writes the int8 output.
                DeviceBuffer output = d.Planes < 0
                    ? recorder.PlaceActivation(offsets[d.Region], layer.Output.Elements)
                    : recorder.PlaceActivation(offsets[d.Planes], layer.Sums.Elements * layer.Planes);
                DeviceBuffer? residual = d.Residual < 0 ? null : recorder.PlaceActivation(offsets[d.Residual], AccBytes(layer.Output, config));
                int first = recorder.Runs.Count;
                layer.Plan.Emit(commands, new ConvOperands(data, weights, output, Bias: bias, Residual: residual, Shifts: shifts,
                    OutputPlaneElements: layer.Sums.Elements / (config.Batch * config.BlockOut)));
                commands.Synchronize();
                runsPerLayer[layer] = (first, recorder.Runs.Count - first);
            }
        }

        return Layout(model, recorder, drafts, offsets, activationBytes, runsPerLayer);
    }

    /// <summary>One step before placement: the regions it reads and writes (ids in the planner).</summary>
    private sealed record Draft(ModelStep Step, int Region = -1, int Source = -1, long SourceBytes = 0, VtaLayer? Layer = null, bool Pad = false,
        bool Widen = false, int Residual = -1, int Planes = -1);

    private static List<Draft> Plan(CompiledModel model, int alignment, out MemoryPlanner planner)
    {
        planner = new MemoryPlanner(alignment);
        var drafts = new List<Draft>();
        var regionOf = new Dictionary<string, int>();
        foreach (ModelStep step in model.Steps)
        {
            int index = drafts.Count;
            switch (step)
            {
                case PackStep p:
                    regionOf[p.Value] = planner.Add(p.Shape.Elements, index);
                    drafts.Add(new Draft(step, Region: regionOf[p.Value]));
                    break;
                case UnpackStep u:
                    planner.Use(regionOf[u.Value], index);
                    drafts.Add(new Draft(step, Region: regionOf[u.Value]));
                    break;
                case VtaStep v:
                    VtaLayer layer = v.Layer;
                    bool pad = layer.HostPadding != Pads2d.Zero;
                    int at = index + (layer.Residual is null ? 0 : 1) + (pad ? 1 : 0); // the layer's own step, after its host steps
                    int input = regionOf[layer.Node.Inputs[0]];
                    planner.Use(input, at);
                    long inputBytes = layer.Input.Elements;
                    int residual = -1;
                    if (layer.Residual is { } shortcut)
                    {
                        // VTA loads only int32 into the ACC: the host widens the packed int8 shortcut into a temporary.
                        int source = regionOf[shortcut];
                        planner.Use(source, index);
                        residual = planner.Add(AccBytes(layer.Output, model.Config), index);
                        planner.Use(residual, at);
                        drafts.Add(new Draft(step, Region: residual, Source: source, Widen: true));
                        index++;
                    }

                    if (pad)
                    {
                        PackedShape padded = layer.Input.Padded(layer.HostPadding);
                        int temp = planner.Add(padded.Elements, index);
                        planner.Use(temp, at);
                        drafts.Add(new Draft(step, Region: temp, Source: input, Pad: true, Layer: null));
                        (input, inputBytes) = (temp, padded.Elements);
                    }

                    int planes = layer.Planes > 1 ? planner.Add(layer.Sums.Elements * layer.Planes, at) : -1;
                    regionOf[layer.Node.Output] = planner.Add(layer.Output.Elements, at);
                    drafts.Add(new Draft(step, Region: regionOf[layer.Node.Output], Source: input, SourceBytes: inputBytes, Layer: layer, Residual: residual,
                        Planes: planes));
                    break;
                default:
                    drafts.Add(new Draft(step));
                    break;
            }
        }

        return drafts;
    }

    private static ModelProgram Layout(CompiledModel model, RecordingDevice recorder, List<Draft> drafts, long[] offsets, long activationBytes,
        Dictionary<VtaLayer, (int First, int Count)> runsPerLayer)
    {
        VtaConfig config = model.Config;
        int align = recorder.Alignment;
        IReadOnlyList<RecordedRun> runs = recorder.Runs;
        byte[] constants = recorder.ConstantImage;
        long Align(long at) => (at + align - 1) / align * align;

        // Place first (constants, each run's micro-ops, each run's instructions, activations), then write.
        long position = constants.Length;
        var uopAt = new long[runs.Count];
        var insnAt = new long[runs.Count];
        for (int r = 0; r < runs.Count; r++)
        {
            uopAt[r] = position = Align(position);
            position += runs[r].Uops.Length;
        }

        for (int r = 0; r < runs.Count; r++)
        {
            insnAt[r] = position = Align(position);
            position += (long)runs[r].Count * VtaConfig.InsnBytes;
        }

        long activationsAt = Align(position);
        var bytes = new byte[activationsAt];
        constants.CopyTo(bytes, 0);
        for (int r = 0; r < runs.Count; r++)
        {
            RecordedRun run = runs[r];
            long uops = uopAt[r];
            run.Uops.CopyTo(bytes, uops);
            Span<byte> code = bytes.AsSpan((int)insnAt[r], run.Count * VtaConfig.InsnBytes);
            run.Instructions.CopyTo(code);
            ProgramRelocation.Relocate(code, run.Count, config, (_, m, addr) => ArenaOffset(addr, m, run, uops, activationsAt));
        }

        var steps = new List<ProgramStep>();
        foreach (Draft d in drafts)
        {
            long At(int region) => activationsAt + offsets[region];
            switch (d.Step)
            {
                case PackStep p:
                    steps.Add(new PackProgramStep(p.Name, p.Value, p.Shape, p.Layout, At(d.Region)));
                    break;
                case UnpackStep u:
                    steps.Add(new UnpackProgramStep(u.Name, u.Value, u.Shape, u.Layout, At(d.Region)));
                    break;
                case CpuStep c:
                    steps.Add(new CpuProgramStep(c.Node.Name));
                    break;
                case VtaStep v when d.Widen:
                    steps.Add(new WidenProgramStep(v.Name + "/widen", At(d.Source), v.Layer.Output, At(d.Region)));
                    break;
                case VtaStep v when d.Pad:
                    steps.Add(new PadProgramStep(v.Name + "/pad", At(d.Source), v.Layer.Input, v.Layer.HostPadding, v.Layer.PadValue, At(d.Region)));
                    break;
                case VtaStep v:
                    VtaLayer layer = v.Layer;
                    (int first, int count) = runsPerLayer[layer];
                    ProgramChunk[] chunks = [.. Enumerable.Range(first, count).Select(r => new ProgramChunk(insnAt[r], runs[r].Count))];
                    DataLayout layout = layer.Node.Op is VtaConv2d conv ? conv.Layout : DataLayout.Nchw;
                    steps.Add(new VtaProgramStep(v.Name, layer.Node.Op.Kind, chunks, layer.Node.Output, layer.Output, layout, At(d.Region),
                        new VtaLayerSummary(layer.Workload.Spec, layer.Plan.Tiling.ToString(), layer.Macs), layer.Planes, d.Planes < 0 ? -1 : At(d.Planes),
                        layer.Sums == layer.Output ? null : layer.Sums));
                    break;
                default:
                    throw new InvalidOperationException($"unknown step {d.Step}");
            }
        }

        return new ModelProgram(config, bytes, activationsAt + Math.Max(activationBytes, align), align, steps);
    }

    /// <summary>Recorded address → arena offset, refusing scratch reads other than the run's own micro-ops.</summary>
    private static long ArenaOffset(long addr, MemInsn m, RecordedRun run, long uopAt, long activationsAt)
    {
        if (addr >= RecordingDevice.ScratchBase)
        {
            if (m.MemoryType != MemoryType.Uop || addr < run.UopBase || addr >= run.UopBase + run.Uops.Length)
            {
                throw new InvalidOperationException($"{m.Op} {m.MemoryType} reads queue scratch at 0x{addr:X8}: only micro-op loads may");
            }

            return uopAt + (addr - run.UopBase);
        }

        return addr >= RecordingDevice.ActivationBase ? activationsAt + (addr - RecordingDevice.ActivationBase) : addr - RecordingDevice.ConstantBase;
    }

    private static long AccBytes(PackedShape shape, VtaConfig config) => shape.Elements * (config.AccWidth / 8);

}
