using System.Diagnostics;
using System.Runtime.InteropServices;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Ops.Conv2d;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Compiler.Models;

/// <summary>
/// One run of a <see cref="CompiledModel"/>: host values, packed values (on the host, on the device or both), the
/// layers' constants in device memory, and one command queue. Owns every device buffer it allocates.
/// </summary>
internal sealed class ModelExecution(CompiledModel model, IVtaDevice device, ModelRunOptions options) : IDisposable
{
    private readonly List<DeviceBuffer> _owned = [];
    private readonly Dictionary<string, Tensor> _host = [];
    private readonly Dictionary<string, Packed> _packed = [];
    private readonly Dictionary<VtaLayer, (DeviceBuffer Weights, DeviceBuffer Bias, DeviceBuffer Shifts)> _constants = [];
    private CommandQueue? _queue;

    public ModelRunResult Run(IReadOnlyDictionary<string, Tensor> inputs)
    {
        var total = Stopwatch.StartNew();
        BindInputs(inputs);
        foreach (VtaLayer layer in model.VtaLayers)
        {
            _constants[layer] = (Upload(MemoryMarshal.AsBytes(layer.PackedWeights.AsSpan())), Upload(layer.PackedBias), Upload(layer.PackedShifts));
        }

        _queue = new CommandQueue(device, options.Queue);
        var records = new List<LayerRecord>();
        var counters = new SimCounters();
        foreach (ModelStep step in model.Steps)
        {
            SimCounters before = device.ReadCounters();
            long? cyclesBefore = (device as TimingDevice)?.TotalReport.Cycles;
            var clock = Stopwatch.StartNew();
            string kind = Execute(step);
            double seconds = clock.Elapsed.TotalSeconds;
            SimCounters delta = Difference(device.ReadCounters(), before);
            counters.Add(delta);
            long? cycles = cyclesBefore is { } c0 ? ((TimingDevice)device).TotalReport.Cycles - c0 : null;
            records.Add(new LayerRecord(step.Name, kind, step.Target, seconds, delta, step.Target == ExecutionTarget.Vta ? cycles : null));
        }

        var outputs = model.Graph.Outputs.ToDictionary(o => o, o => _host[o]);
        IReadOnlyDictionary<string, Tensor>? values = options.KeepValues ? new Dictionary<string, Tensor>(_host) : null;
        return new ModelRunResult(outputs, counters, records, total.Elapsed.TotalSeconds, values);
    }

    public void Dispose()
    {
        _queue?.Dispose();
        foreach (DeviceBuffer buffer in _owned)
        {
            device.Free(buffer);
        }

        _owned.Clear();
    }

    private string Execute(ModelStep step)
    {
        switch (step)
        {
            case CpuStep c:
                Tensor[] args = [.. c.Node.Inputs.Select(Value)];
                IReadOnlyList<Tensor> results;
                try
                {
                    results = OpEvaluator.Evaluate(c.Node.Op, args, [.. c.Node.Outputs.Select(model.Graph.TypeOf)]);
                }
                catch (Exception e) when (e is GraphException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
                {
                    throw new GraphException($"node '{c.Node.Name}' ({c.Node.Op.Kind}): {e.Message}", c.Node.Name, e);
                }

                for (int i = 0; i < results.Count; i++)
                {
                    _host[c.Node.Outputs[i]] = results[i];
                }

                return c.Node.Op.Kind;
            case PackStep p:
                _packed[p.Value] = new Packed(p.Shape) { Host = ActivationPacking.Pack(Value(p.Value), p.Layout, p.Shape) };
                return "pack";
            case UnpackStep u:
                _host[u.Value] = ActivationPacking.Unpack(HostData(_packed[u.Value]), u.Shape, model.Graph.TypeOf(u.Value), u.Layout);
                return "unpack";
            case VtaStep v:
                RunLayer(v.Layer);
                return v.Layer.Node.Op.Kind;
            default:
                throw new InvalidOperationException($"unknown step {step}");
        }
    }

    private void RunLayer(VtaLayer layer)
    {
        Node node = layer.Node;
        Packed input = _packed[node.Inputs[0]];
        DeviceBuffer data;
        if (layer.HostPadding != Pads2d.Zero)
        {
            sbyte[] padded = ActivationPacking.PadSpatial(HostData(input), layer.Input, layer.HostPadding, layer.PadValue, out _);
            data = Upload(MemoryMarshal.AsBytes(padded.AsSpan()));
        }
        else
        {
            data = input.Buffer ??= Upload(MemoryMarshal.AsBytes(input.Host.AsSpan()));
        }

        DeviceBuffer output = Allocate(layer.Output.Elements);
        var (weights, bias, shifts) = _constants[layer];
        layer.Plan.Emit(_queue!, new ConvOperands(data, weights, output, Bias: bias, Shifts: shifts));
        _queue!.Synchronize();
        var result = new Packed(layer.Output) { Buffer = output };
        _packed[node.Output] = result;
        if (options.KeepValues)
        {
            DataLayout layout = node.Op is VtaConv2d c ? c.Layout : DataLayout.Nchw;
            _host[node.Output] = ActivationPacking.Unpack(HostData(result), layer.Output, model.Graph.TypeOf(node.Output), layout);
        }
    }

    private void BindInputs(IReadOnlyDictionary<string, Tensor> inputs)
    {
        Graph g = model.Graph;
        foreach (string name in g.Inputs)
        {
            if (!inputs.TryGetValue(name, out Tensor? value))
            {
                throw new GraphException($"graph '{g.Name}': no value given for input '{name}' ({g.TypeOf(name)})");
            }

            TensorType expected = g.TypeOf(name);
            if (value.DType != expected.DType || value.Shape != expected.Shape)
            {
                throw new GraphException($"graph '{g.Name}': input '{name}' is {value.DType.Name()}{value.Shape}, expected {expected.DType.Name()}{expected.Shape}");
            }

            _host[name] = new Tensor(expected, value.Data);
        }

        foreach (string name in inputs.Keys.Where(k => !g.Inputs.Contains(k)))
        {
            throw new GraphException($"graph '{g.Name}' has no input named '{name}' (inputs: {string.Join(", ", g.Inputs)})");
        }
    }

    private Tensor Value(string name) => _host.TryGetValue(name, out Tensor? t) ? t
        : model.Graph.ConstantOf(name) ?? throw new InvalidOperationException($"value '{name}' is not on the host");

    /// <summary>The packed bytes on the host, downloaded once when only the device has them.</summary>
    private sbyte[] HostData(Packed value)
    {
        if (value.Host is null)
        {
            var bytes = new sbyte[value.Shape.Elements];
            device.CopyOut(value.Buffer!, 0, MemoryMarshal.AsBytes(bytes.AsSpan()));
            value.Host = bytes;
        }

        return value.Host;
    }

    private DeviceBuffer Upload(ReadOnlySpan<byte> bytes)
    {
        DeviceBuffer buffer = Allocate(bytes.Length);
        device.CopyIn(buffer, 0, bytes);
        return buffer;
    }

    private DeviceBuffer Allocate(long bytes)
    {
        DeviceBuffer buffer = device.Allocate(Math.Max(1, bytes));
        _owned.Add(buffer);
        return buffer;
    }

    private static SimCounters Difference(SimCounters after, SimCounters before) => new()
    {
        InpLoadNbytes = after.InpLoadNbytes - before.InpLoadNbytes,
        WgtLoadNbytes = after.WgtLoadNbytes - before.WgtLoadNbytes,
        AccLoadNbytes = after.AccLoadNbytes - before.AccLoadNbytes,
        UopLoadNbytes = after.UopLoadNbytes - before.UopLoadNbytes,
        OutStoreNbytes = after.OutStoreNbytes - before.OutStoreNbytes,
        GemmCounter = after.GemmCounter - before.GemmCounter,
        AluCounter = after.AluCounter - before.AluCounter,
    };

    /// <summary>A packed value: host bytes, a device buffer, or both.</summary>
    private sealed class Packed(PackedShape shape)
    {
        public PackedShape Shape { get; } = shape;

        public sbyte[]? Host { get; set; }

        public DeviceBuffer? Buffer { get; set; }
    }
}
