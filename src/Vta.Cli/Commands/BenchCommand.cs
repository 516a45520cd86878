using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Vta.Cli.Output;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm;
using Vta.Compiler.Models;
using Vta.Frontend;
using Vta.Frontend.Onnx;
using Vta.Frontend.Onnx.Proto;
using Vta.Hardware.Config;

namespace Vta.Cli.Commands;

/// <summary>
/// vta bench cpu: the CPU nodes that a real <c>vta run</c> executes (the model prepared as <see cref="ModelPreparation"/>
/// does — a float model is quantized — then compiled; <see cref="CompiledModel.CpuNodesOf"/>) on the LLVM back end,
/// against ONNX Runtime (one thread; each node as a one-node ONNX model: <see cref="OnnxWriter"/> for float nodes, the
/// QLinear twin written here for quantized ones) and the managed kernels. Nodes with no ONNX Runtime twin (VTA's
/// int8↔uint8 requantize steps, which ONNX Runtime's own graph does not have) count on our side only.
/// </summary>
internal static class BenchCommand
{
    private static readonly (string File, string Label)[] MobileNets =
        [("imagenet/mobilenetv2-12-int8.onnx", "mobilenetv2 onnx int8"), ("imagenet/mobilenet_v2_1.0_224_quant.tflite", "mobilenetv2 tflite u8")];

    public static Command Create(CliContext context)
    {
        var iterations = new Option<int>("--iterations") { Description = "Timed runs per node (the median counts)", DefaultValueFactory = _ => 5, HelpName = "N" };
        var models = new Option<string?>("--models") { Description = "The models folder (default: $VTA_MODELS, then ./models, then ../shared/models)", HelpName = "DIR" };
        var json = CliOptions.Json();
        var cpu = new Command("cpu", "Time the CPU nodes a run of zoo:resnet18 and MobileNetV2 executes, on the LLVM kernels vs ONNX Runtime and the managed kernels, one thread")
        {
            iterations, models, json,
        };
        cpu.SetAction(parse =>
        {
            int n = Math.Max(1, parse.GetValue(iterations));
            ICpuBackend llvm = CpuBackends.Create(CpuBackends.LlvmName, context.Err.WriteLine);
            if (llvm is not LlvmCpuBackend)
            {
                context.Err.WriteLine("vta: error: vta bench cpu measures the LLVM kernels, and libLLVM could not be loaded");
                return CliApp.ExitError;
            }

            var rows = new List<BenchRow>();
            rows.AddRange(Measure(RunGraph("zoo:resnet18", "zoo:resnet18"), "resnet18", n, firstConvRow: true));
            ModelSearchPath search = ModelSearchPath.Create(parse.GetValue(models));
            foreach ((string file, string label) in MobileNets)
            {
                try
                {
                    rows.AddRange(Measure(RunGraph(search.RequireFile(file), file), label, n, firstConvRow: false));
                }
                catch (FileNotFoundException e)
                {
                    context.Err.WriteLine($"vta: note: {e.Message}; the {label} rows are left out");
                }
            }

            if (parse.GetValue(json))
            {
                context.WriteJson(new JsonObject { ["kernels"] = new JsonArray([.. rows.Select(r => (JsonNode)r.ToJson())]), ["iterations"] = n });
            }
            else
            {
                Print(context, rows);
            }

            return CliApp.ExitOk;
        });
        var bench = new Command("bench", "Benchmarks");
        bench.Subcommands.Add(cpu);
        return bench;
    }

    /// <summary>The graph a <c>vta run</c> of <paramref name="model"/> executes: quantized when float, then compiled.</summary>
    private static Graph RunGraph(string path, string model)
    {
        (Graph prepared, _) = ModelPreparation.Prepare(ModelLoader.Load(path), model, null, null, TextWriter.Null);
        return ModelCompiler.Compile(prepared, VtaConfig.Default).Graph;
    }

    /// <summary>Every CPU node of <paramref name="graph"/> timed; rows per node kind, a total, and optionally the first conv alone.</summary>
    private static List<BenchRow> Measure(Graph graph, string model, int iterations, bool firstConvRow)
    {
        Node[] nodes = [.. CompiledModel.CpuNodesOf(graph)];
        IPreparedCpu llvm = LlvmCpuBackend.Instance.Prepare(graph, nodes);
        IPreparedCpu managed = ManagedCpuBackend.Instance.Prepare(graph, nodes);
        var rng = new Random(1);
        var times = new List<(Node Node, Timing Ours, double Allocating, double Managed, Timing? Ort)>();
        foreach (Node node in nodes)
        {
            Tensor[] inputs = [.. node.Inputs.Select(i => graph.ConstantOf(i) ?? RandomOf(rng, graph.TypeOf(i)))];
            using OrtTwinSession? twin = OrtTwinSession.Create(graph, node, inputs);
            // Ours writes into an output buffer owned by the caller and reused, as ONNX Runtime's arena reuses its memory.
            Tensor output = Tensor.Zeros(graph.TypeOf(node.Outputs[0]));
            (Timing ours, Timing? ort) = Interleaved(iterations, () => llvm.RunInto(node, inputs, output), twin is null ? null : twin.Run);
            double allocating = Median(iterations, () => llvm.Run(node, inputs));
            double slow = Median(Math.Min(iterations, 3), () => managed.Run(node, inputs));
            times.Add((node, ours, allocating, slow, ort));
        }

        var rows = new List<BenchRow>();
        if (firstConvRow && times.FirstOrDefault(t => t.Node.Op is Conv2d) is { Node: not null } first)
        {
            Shape w = graph.TypeOf(first.Node.Inputs[1]).Shape;
            string shape = $"{w[1]}→{w[0]}, {w[2]}×{w[3]}/{((Conv2d)first.Node.Op).Strides.H}";
            rows.Add(new BenchRow($"{model} first conv ({first.Node.Name}, {shape})", first.Ours, first.Allocating, first.Managed, first.Ort));
        }

        foreach (var group in times.GroupBy(t => t.Node.Op.Kind))
        {
            rows.Add(Sum($"{model} {group.Key} ×{group.Count()}", [.. group]));
        }

        int twins = times.Count(t => t.Ort is not null);
        rows.Add(Sum($"{model} CPU part total ({times.Count} nodes; ONNX Runtime twins for {twins})", times));
        return rows;
    }

    /// <summary>Ours over every node; ONNX Runtime over the nodes that have a twin (null when none has).</summary>
    private static BenchRow Sum(string name, List<(Node Node, Timing Ours, double Allocating, double Managed, Timing? Ort)> times) => new(name,
        new Timing(times.Sum(t => t.Ours.Median), times.Sum(t => t.Ours.Min)), times.Sum(t => t.Allocating), times.Sum(t => t.Managed),
        times.Any(t => t.Ort is not null) ? new Timing(times.Sum(t => t.Ort?.Median ?? 0), times.Sum(t => t.Ort?.Min ?? 0)) : null);

    /// <summary>
    /// Medians of ours and ONNX Runtime's runs taken in alternation (after one untimed run of each), so that the load of
    /// a shared machine falls on both sides alike.
    /// </summary>
    private static (Timing Ours, Timing? Theirs) Interleaved(int iterations, Action ours, Action? theirs)
    {
        ours();
        theirs?.Invoke();
        double[] a = new double[iterations], b = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            a[i] = Time(ours);
            b[i] = theirs is null ? 0 : Time(theirs);
        }

        Array.Sort(a);
        Array.Sort(b);
        return (new Timing(a[iterations / 2], a[0]), theirs is null ? null : new Timing(b[iterations / 2], b[0]));
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Milliseconds of the median run, after one untimed run (JIT, caches).</summary>
    private static double Median(int iterations, Action action)
    {
        action();
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            ms[i] = Time(action);
        }

        Array.Sort(ms);
        return ms[iterations / 2];
    }

    private static Tensor RandomOf(Random rng, TensorType type)
    {
        int n = type.Shape.ElementCount;
        if (type.DType == DataType.Float32)
        {
            return Tensor.FromFloats(type, [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1))]);
        }

        int lo = (int)type.DType.MinValue(), hi = (int)Math.Min(type.DType.MaxValue(), int.MaxValue - 1L);
        return Tensor.FromInt32Values(type, [.. Enumerable.Range(0, n).Select(_ => rng.Next(lo, hi + 1))]);
    }

    private static void Print(CliContext context, List<BenchRow> rows)
    {
        CultureInfo ci = CultureInfo.InvariantCulture;
        var table = Tables.Create("CPU kernels, one thread: median (minimum) ms of interleaved runs; ratio = ours / ONNX Runtime, lower is faster",
            "kernel", "LLVM (ours)", "ONNX Runtime", "ratio", "ours, output allocated", "managed");
        foreach (BenchRow r in rows)
        {
            Tables.AddRow(table, r.Name, r.Ours.ToString(ci), r.Ort?.ToString(ci) ?? "-",
                r.Ratio is { } ratio ? $"{ratio.ToString("0.00", ci)} ({r.MinRatio!.Value.ToString("0.00", ci)})" : "-", r.Allocating.ToString("0.000", ci),
                r.Managed.ToString("0.000", ci));
        }

        context.Console.Write(table);
    }

    /// <summary>The median and the minimum of a node's runs (the minimum is the least disturbed by other load).</summary>
    private readonly record struct Timing(double Median, double Min)
    {
        public string ToString(IFormatProvider format) => $"{Median.ToString("0.000", format)} ({Min.ToString("0.000", format)})";
    }

    private sealed record BenchRow(string Name, Timing Ours, double Allocating, double Managed, Timing? Ort)
    {
        public double? Ratio => Ort is { Median: > 0 } o ? Ours.Median / o.Median : null;

        public double? MinRatio => Ort is { Min: > 0 } o ? Ours.Min / o.Min : null;

        public JsonObject ToJson() => new()
        {
            ["name"] = Name,
            ["ours_ms"] = Math.Round(Ours.Median, 4),
            ["ours_min_ms"] = Math.Round(Ours.Min, 4),
            ["onnxruntime_ms"] = Ort is { } o ? Math.Round(o.Median, 4) : null,
            ["onnxruntime_min_ms"] = Ort is { } m ? Math.Round(m.Min, 4) : null,
            ["ratio"] = Ratio is { } r ? Math.Round(r, 3) : null,
            ["ratio_min"] = MinRatio is { } q ? Math.Round(q, 3) : null,
            ["allocating_ms"] = Math.Round(Allocating, 4),
            ["managed_ms"] = Math.Round(Managed, 4),
        };
    }
}

/// <summary>
/// One-node ONNX models that do a CPU node's work on ONNX Runtime: the float nodes as <see cref="OnnxWriter"/> writes
/// them; quantized nodes as ONNX's QuantizeLinear, DequantizeLinear, QLinearConv, and com.microsoft's QLinearAdd,
/// QLinearGlobalAveragePool and QLinearSoftmax (what ONNX Runtime runs for the same layers of its own quantized models).
/// TFLite's NHWC depthwise conv becomes a grouped QLinearConv on NCHW data (no fused ReLU6: ONNX has none). Requantize has
/// no twin: it is VTA's int8↔uint8 boundary, which ONNX Runtime's graph does not have.
/// </summary>
internal static class OrtTwins
{
    public static (byte[] Model, List<(string Name, Tensor Value)> Feeds)? Of(Graph graph, Node node, Tensor[] inputs)
    {
        TensorType In(int i) => graph.TypeOf(node.Inputs[i]);
        TensorType outType = graph.TypeOf(node.Outputs[0]);
        string x = node.Inputs[0], y = node.Outputs[0];
        bool quantized = In(0).Quant is not null || outType.Quant is not null;
        var feeds = new List<(string, Tensor)> { (x, inputs[0]) };
        switch (node.Op)
        {
            case Requantize:
                return null;
            case Quantize or QuantizeLinear:
                return Model(Op("QuantizeLinear", [x, "ys", "yz"], y), [Scale("ys", outType.Quant!), Zero("yz", outType)], In(0), x, outType, y, feeds);
            case Dequantize:
                return Model(Op("DequantizeLinear", [x, "xs", "xz"], y), [Scale("xs", In(0).Quant!), Zero("xz", In(0))], In(0), x, outType, y, feeds);
            case QLinearConv2d c:
                return Model(Op("QLinearConv", [x, "xs", "xz", "w", "ws", "wz", "ys", "yz", .. node.Inputs.Count > 2 ? ["b"] : Array.Empty<string>()], y,
                        Ints("kernel_shape", In(1).Shape[2], In(1).Shape[3]), Ints("strides", c.Strides.H, c.Strides.W),
                        Ints("pads", c.Pads.Top, c.Pads.Left, c.Pads.Bottom, c.Pads.Right), Ints("dilations", c.Dilations.H, c.Dilations.W), Int("group", c.Groups)),
                    [Scale("xs", In(0).Quant!), Zero("xz", In(0)), Raw("w", inputs[1]), Scales("ws", In(1)), Zeros("wz", In(1)), Scale("ys", outType.Quant!),
                        Zero("yz", outType), .. node.Inputs.Count > 2 ? [Raw("b", inputs[2])] : Array.Empty<TensorProto>()],
                    In(0), x, outType, y, feeds);
            case DepthwiseConv2d d when quantized && d.Layout == DataLayout.Nhwc && In(1).Shape[0] == 1:
                return DepthwiseNchw(node, d, In(0), inputs, outType);
            case QLinearAdd or Add when quantized:
                feeds.Add((node.Inputs[1], inputs[1]));
                return Model(Op("QLinearAdd", [x, "as", "az", node.Inputs[1], "bs", "bz", "ys", "yz"], y, domain: "com.microsoft"),
                    [Scale("as", In(0).Quant!), Zero("az", In(0)), Scale("bs", In(1).Quant!), Zero("bz", In(1)), Scale("ys", outType.Quant!), Zero("yz", outType)],
                    In(0), x, outType, y, feeds, second: (node.Inputs[1], In(1)));
            case QLinearGlobalAvgPool or GlobalAvgPool or AvgPool when quantized && OnePixel(node.Op, outType):
                bool nhwc = IsNhwc(node.Op);
                return Model(Op("QLinearGlobalAveragePool", [x, "xs", "xz", "ys", "yz"], y, domain: "com.microsoft", Int("channels_last", nhwc ? 1 : 0)),
                    [Scale("xs", In(0).Quant!), Zero("xz", In(0)), Scale("ys", outType.Quant!), Zero("yz", outType)], In(0), x, outType, y, feeds);
            case Softmax when quantized:
                return Model(Op("QLinearSoftmax", [x, "xs", "xz", "ys", "yz"], y, domain: "com.microsoft", Int("axis", -1), Int("opset", 13)),
                    [Scale("xs", In(0).Quant!), Zero("xz", In(0)), Scale("ys", outType.Quant!), Zero("yz", outType)], In(0), x, outType, y, feeds);
            default:
                return quantized && node.Op is not (Reshape or Flatten or MaxPool) ? null : Written(graph, node, inputs);
        }
    }

    private static bool IsNhwc(Op op) => op is AvgPool { Layout: DataLayout.Nhwc } or GlobalAvgPool { Layout: DataLayout.Nhwc };

    /// <summary>A pool whose output has one pixel per channel (a whole-plane window).</summary>
    private static bool OnePixel(Op op, TensorType output) =>
        output.Shape.ElementCount == output.Shape[0] * output.Shape[IsNhwc(op) ? 3 : 1];

    /// <summary>The node as <see cref="OnnxWriter"/> writes it (float NCHW ops, views).</summary>
    private static (byte[], List<(string, Tensor)>)? Written(Graph graph, Node node, Tensor[] inputs)
    {
        var b = new GraphBuilder(node.Name);
        var feeds = new List<(string, Tensor)>();
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            string name = node.Inputs[i];
            if (b.Contains(name))
            {
                continue;
            }

            if (graph.ConstantOf(name) is { } constant)
            {
                b.AddConstant(name, constant);
            }
            else
            {
                b.AddInput(name, graph.TypeOf(name).WithQuant(null));
                feeds.Add((name, inputs[i]));
            }
        }

        try
        {
            b.CopyNode(graph, node);
            b.AddOutput(node.Outputs[0]);
            return (OnnxWriter.ToBytes(b.Build(), new OnnxWriteOptions { Opset = 13 }), feeds);
        }
        catch (Exception e) when (e is GraphException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>TFLite's NHWC depthwise conv as a grouped QLinearConv on NCHW data, same values re-laid.</summary>
    private static (byte[], List<(string, Tensor)>) DepthwiseNchw(Node node, DepthwiseConv2d d, TensorType data, Tensor[] inputs, TensorType outType)
    {
        (int n, int h, int w, int c) = (data.Shape[0], data.Shape[1], data.Shape[2], data.Shape[3]);
        (int kh, int kw) = (inputs[1].Shape[1], inputs[1].Shape[2]);
        TensorType nchw = data with { Shape = new Shape(n, c, h, w) };
        TensorType outNchw = outType with { Shape = new Shape(outType.Shape[0], c, outType.Shape[1], outType.Shape[2]) };
        Tensor weights = new(inputs[1].Type with { Shape = new Shape(c, 1, kh, kw) }, Transposed(inputs[1].Data, kh * kw, c));
        Tensor feed = new(nchw, Transposed(inputs[0].Data, h * w, c));
        NodeProto op = Op("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"], "y", Ints("kernel_shape", kh, kw),
            Ints("strides", d.Strides.H, d.Strides.W), Ints("pads", d.Pads.Top, d.Pads.Left, d.Pads.Bottom, d.Pads.Right),
            Ints("dilations", d.Dilations.H, d.Dilations.W), Int("group", c));
        return Model(op, [Scale("xs", data.Quant!), Zero("xz", data), Raw("w", weights), Scale("ws", inputs[1].Quant!), Zero("wz", inputs[1].Type),
            Scale("ys", outType.Quant!), Zero("yz", outType), Raw("b", inputs[2])], nchw, "x", outNchw, "y", [("x", feed)]);
    }

    /// <summary>[rows][columns] → [columns][rows] (NHWC → NCHW for one image; [tap][channel] → [channel][tap]).</summary>
    private static Array Transposed(Array source, int rows, int columns)
    {
        Array result = Array.CreateInstance(source.GetType().GetElementType()!, source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            int image = i / (rows * columns), r = (i / columns) % rows, col = i % columns;
            result.SetValue(source.GetValue(i), (image * rows * columns) + (col * rows) + r);
        }

        return result;
    }

    private static (byte[], List<(string, Tensor)>) Model(NodeProto node, TensorProto[] initializers, TensorType xType, string x, TensorType yType, string y,
        List<(string, Tensor)> feeds, (string Name, TensorType Type)? second = null)
    {
        var g = new GraphProto { Name = node.OpType };
        g.Node.Add(node);
        g.Initializer.AddRange(initializers);
        g.Input.Add(ValueInfo(x, xType));
        if (second is { } s)
        {
            g.Input.Add(ValueInfo(s.Name, s.Type));
        }

        g.Output.Add(ValueInfo(y, yType));
        var model = new ModelProto { IrVersion = 8, ProducerName = "vta-bench", Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return (model.ToByteArray(), feeds);
    }

    private static NodeProto Op(string type, string[] inputs, string output, params AttributeProto[] attributes) => Op(type, inputs, output, string.Empty, attributes);

    private static NodeProto Op(string type, string[] inputs, string output, string domain, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = type, Domain = domain, Name = type };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static TensorProto Scale(string name, Quantization q) => Proto(name, DataType.Float32, [], BitConverter.GetBytes(q.Scale));

    private static TensorProto Zero(string name, TensorType type) => Proto(name, type.DType, [], [(byte)type.Quant!.ZeroPoint]);

    /// <summary>Weight scales and zero points: scalars per tensor, vectors of the output channels' count per channel.</summary>
    private static TensorProto Scales(string name, TensorType type) => type.Quant!.IsPerChannel
        ? Proto(name, DataType.Float32, [type.Quant.Scales.Count], [.. type.Quant.Scales.SelectMany(BitConverter.GetBytes)])
        : Scale(name, type.Quant);

    private static TensorProto Zeros(string name, TensorType type) => type.Quant!.IsPerChannel
        ? Proto(name, type.DType, [type.Quant.Scales.Count], [.. Enumerable.Range(0, type.Quant.Scales.Count).Select(c => (byte)type.Quant.ZeroPointAt(c))])
        : Zero(name, type);

    private static TensorProto Raw(string name, Tensor t) => OnnxTensors.ToProto(name, t.Quant is null ? t : new Tensor(t.Type.WithQuant(null), t.Data));

    private static TensorProto Proto(string name, DataType type, long[] dims, byte[] raw)
    {
        var p = new TensorProto { Name = name, DataType = OnnxTensors.ToOnnxType(type), RawData = ByteString.CopyFrom(raw) };
        p.Dims.AddRange(dims);
        return p;
    }

    private static ValueInfoProto ValueInfo(string name, TensorType type)
    {
        var shape = new TensorShapeProto();
        foreach (int d in type.Shape)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(type.DType), Shape = shape } },
        };
    }
}

/// <summary>A node's ONNX twin loaded in ONNX Runtime (one thread, sequential, all optimizations), inputs bound once.</summary>
internal sealed class OrtTwinSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue[] _values;
    private readonly string[] _names;
    private readonly string[] _outputs;

    private OrtTwinSession(InferenceSession session, List<(string Name, Tensor Value)> feeds)
    {
        _session = session;
        _values = [.. feeds.Select(f => OrtTensors.ToOrt(f.Value))];
        _names = [.. feeds.Select(f => f.Name)];
        _outputs = [session.OutputMetadata.Keys.Single()];
    }

    /// <summary>The twin's session, or null when the node has no twin or ONNX Runtime has no kernel for its types.</summary>
    public static OrtTwinSession? Create(Graph graph, Node node, Tensor[] inputs)
    {
        if (OrtTwins.Of(graph, node, inputs) is not { } twin)
        {
            return null;
        }

        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            return new OrtTwinSession(new InferenceSession(twin.Model, options), twin.Feeds);
        }
        catch (OnnxRuntimeException)
        {
            return null;
        }
    }

    /// <summary>One run; ONNX Runtime allocates the output (from its arena), as we allocate ours.</summary>
    public void Run() => _session.Run(_run, _names, _values, _outputs).Dispose();

    public void Dispose()
    {
        foreach (OrtValue v in _values)
        {
            v.Dispose();
        }

        _run.Dispose();
        _session.Dispose();
    }
}
