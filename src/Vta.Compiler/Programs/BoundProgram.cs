using System.Diagnostics;
using System.Runtime.InteropServices;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Quant;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Compiler.Programs;

/// <summary>
/// A <see cref="ModelProgram"/> placed on a device: one arena allocated, the image (weights, micro-ops, instructions
/// relocated to the arena's address) uploaded once. Each <see cref="Run"/> then only copies inputs in and outputs out.
/// Frees the arena when disposed.
/// </summary>
public sealed class BoundProgram : IDisposable
{
    private readonly DeviceBuffer _allocation;
    private readonly DeviceBuffer _arena;

    public BoundProgram(ModelProgram program, Graph graph, IVtaDevice device)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(device);
        if (device.Config.Name != program.Config.Name)
        {
            throw new ArgumentException($"the model is compiled for {program.Config.Name}, the device is {device.Config.Name}", nameof(device));
        }

        Program = program;
        Graph = graph;
        Device = device;
        _allocation = device.Allocate(program.ArenaBytes + program.Alignment);
        long skew = (program.Alignment - (_allocation.PhysAddr % program.Alignment)) % program.Alignment;
        _arena = _allocation.Slice(skew, program.ArenaBytes);
        long arenaBase = _arena.PhysAddr;
        byte[] image = (byte[])program.Image.Clone();
        foreach (ProgramChunk chunk in program.Steps.OfType<VtaProgramStep>().SelectMany(s => s.Chunks))
        {
            ProgramRelocation.Relocate(image.AsSpan((int)chunk.Offset, chunk.Count * VtaConfig.InsnBytes), chunk.Count, program.Config,
                (_, _, addr) => addr + arenaBase);
        }

        device.CopyIn(_arena, 0, image);
    }

    public ModelProgram Program { get; }

    public Graph Graph { get; }

    public IVtaDevice Device { get; }

    public ModelRunResult Run(IReadOnlyDictionary<string, Tensor> inputs, ModelRunOptions? options = null)
    {
        options ??= new ModelRunOptions();
        var total = Stopwatch.StartNew();
        var host = new Dictionary<string, Tensor>();
        BindInputs(inputs, host);
        var records = new List<LayerRecord>();
        var counters = new SimCounters();
        // The CPU part once per run (a program with no CPU step never prepares it).
        var cpu = new Lazy<IPreparedCpu>(() => options.CpuFor(Graph));
        foreach (ProgramStep step in Program.Steps)
        {
            SimCounters before = Device.ReadCounters();
            TimingReport? timingBefore = (Device as TimingDevice)?.TotalReport;
            var clock = Stopwatch.StartNew();
            string kind = Execute(step, host, options, cpu);
            double seconds = clock.Elapsed.TotalSeconds;
            SimCounters delta = Device.ReadCounters().Minus(before);
            counters.Add(delta);
            TimingReport? timing = step.Target == ExecutionTarget.Vta && timingBefore is not null
                ? ((TimingDevice)Device).TotalReport.Minus(timingBefore)
                : null;
            records.Add(new LayerRecord(step.Name, kind, step.Target, seconds, delta, timing?.Cycles, timing));
            options.Progress?.Report(new RunProgress(records.Count, Program.Steps.Count, step.Name));
        }

        var outputs = Graph.Outputs.ToDictionary(o => o, o => host[o]);
        return new ModelRunResult(outputs, counters, records, total.Elapsed.TotalSeconds, options.KeepValues ? host : null);
    }

    /// <summary>
    /// Runs only the VTA steps, on whatever the activations hold: for timing and counters, which do not depend on values
    /// (sweeps, with the timing simulator skipping the arithmetic).
    /// </summary>
    public void RunVtaStepsOnly()
    {
        foreach (VtaProgramStep step in Program.Steps.OfType<VtaProgramStep>())
        {
            RunChunks(step);
        }
    }

    private void RunChunks(VtaProgramStep step)
    {
        foreach (ProgramChunk chunk in step.Chunks)
        {
            Device.Run(_arena.Slice(chunk.Offset, (long)chunk.Count * VtaConfig.InsnBytes), chunk.Count);
        }
    }

    public void Dispose()
    {
        if (!_allocation.IsFreed)
        {
            Device.Free(_allocation);
        }
    }

    private string Execute(ProgramStep step, Dictionary<string, Tensor> host, ModelRunOptions options, Lazy<IPreparedCpu> cpu)
    {
        switch (step)
        {
            case CpuProgramStep c:
                Node node = Graph.GetNode(c.Node);
                Tensor[] args = [.. node.Inputs.Select(i => Value(host, i))];
                IReadOnlyList<Tensor> results;
                try
                {
                    results = cpu.Value.Run(node, args);
                }
                catch (Exception e) when (e is GraphException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
                {
                    throw new GraphException($"node '{node.Name}' ({node.Op.Kind}): {e.Message}", node.Name, e);
                }

                for (int i = 0; i < results.Count; i++)
                {
                    host[node.Outputs[i]] = results[i];
                }

                return node.Op.Kind;
            case PackProgramStep p:
                sbyte[] packed = ActivationPacking.Pack(Value(host, p.Value), p.Layout, p.Shape);
                Device.CopyIn(_arena, p.Offset, MemoryMarshal.AsBytes(packed.AsSpan()));
                return "pack";
            case PadProgramStep p:
                sbyte[] padded = ActivationPacking.PadSpatial(Read(p.Source, p.Shape), p.Shape, p.Pads, p.Value, out _);
                Device.CopyIn(_arena, p.Offset, MemoryMarshal.AsBytes(padded.AsSpan()));
                return "pad";
            case WidenProgramStep w:
                int[] wide = [.. Read(w.Source, w.Shape).Select(b => (int)b)];
                Device.CopyIn(_arena, w.Offset, MemoryMarshal.AsBytes(wide.AsSpan()));
                return "widen";
            case UnpackProgramStep u:
                host[u.Value] = ActivationPacking.Unpack(Read(u.Offset, u.Shape), u.Shape, Graph.TypeOf(u.Value), u.Layout);
                return "unpack";
            case VtaProgramStep v:
                RunChunks(v);
                if (v.Planes > 1)
                {
                    FinishExact(v);
                }

                if (options.KeepValues)
                {
                    host[v.Output] = ActivationPacking.Unpack(Read(v.OutputOffset, v.OutputShape), v.OutputShape, Graph.TypeOf(v.Output), v.Layout);
                }

                return v.Kind;
            default:
                throw new InvalidOperationException($"unknown step {step}");
        }
    }

    /// <summary>An exact layer's host part: the node's own requantization of the byte planes VTA stored, into the packed output.</summary>
    private void FinishExact(VtaProgramStep v)
    {
        Node node = Graph.GetNode(v.Node);
        if (node.Op is not IVtaLayerOp { Exact: { } kind } op)
        {
            throw new InvalidOperationException($"step '{v.Name}' stores {v.Planes} planes, but node '{node.Name}' ({node.Op.Kind}) is not an exact VTA layer");
        }

        Tensor rows = Graph.ConstantOf(node.Inputs[3]) ?? throw new InvalidOperationException($"node '{node.Name}': its requantization is not a constant");
        PackedShape sums = v.PlanesShape ?? v.OutputShape;
        var planes = new byte[sums.Elements * v.Planes];
        Device.CopyOut(_arena, v.PlanesOffset, planes);
        sbyte[] output = ExactRequantization.FinishPacked(planes, v.Planes, sums, v.OutputShape, kind, rows.As<int>(), rows.Shape[1], op.OutputZeroPoint, op.Min,
            op.Max, op.InputSumFactor);
        Device.CopyIn(_arena, v.OutputOffset, MemoryMarshal.AsBytes(output.AsSpan()));
    }

    private sbyte[] Read(long offset, PackedShape shape)
    {
        var bytes = new sbyte[shape.Elements];
        Device.CopyOut(_arena, offset, MemoryMarshal.AsBytes(bytes.AsSpan()));
        return bytes;
    }

    private void BindInputs(IReadOnlyDictionary<string, Tensor> inputs, Dictionary<string, Tensor> host)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (string name in Graph.Inputs)
        {
            if (!inputs.TryGetValue(name, out Tensor? value))
            {
                throw new GraphException($"graph '{Graph.Name}': no value given for input '{name}' ({Graph.TypeOf(name)})");
            }

            TensorType expected = Graph.TypeOf(name);
            if (value.DType != expected.DType || value.Shape != expected.Shape)
            {
                throw new GraphException($"graph '{Graph.Name}': input '{name}' is {value.DType.Name()}{value.Shape}, expected {expected.DType.Name()}{expected.Shape}");
            }

            host[name] = new Tensor(expected, value.Data);
        }

        foreach (string name in inputs.Keys.Where(k => !Graph.Inputs.Contains(k)))
        {
            throw new GraphException($"graph '{Graph.Name}' has no input named '{name}' (inputs: {string.Join(", ", Graph.Inputs)})");
        }
    }

    private Tensor Value(Dictionary<string, Tensor> host, string name) => host.TryGetValue(name, out Tensor? t) ? t
        : Graph.ConstantOf(name) ?? throw new InvalidOperationException($"value '{name}' is not on the host");
}
