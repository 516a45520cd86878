using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Vta.Cli.Output;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm;
using Vta.Compiler.Models;
using Vta.Frontend;
using Vta.Frontend.Onnx;
using Vta.Hardware.Config;

namespace Vta.Cli.Commands;

/// <summary>
/// vta bench cpu: the CPU nodes of real partitioned graphs on the LLVM back end against ONNX Runtime (one thread,
/// each node as a one-node ONNX model written by <see cref="OnnxWriter"/>) and against the managed kernels. Rows: ResNet-18's
/// first conv, the float ResNet-18's CPU part per node kind and in total, and the quantized MobileNetV2's CPU part
/// (its TFLite ops have no ONNX Runtime twin, so only the managed kernels are compared there).
/// </summary>
internal static class BenchCommand
{
    private const string MobileNet = "imagenet/mobilenet_v2_1.0_224_quant.tflite";

    public static Command Create(CliContext context)
    {
        var iterations = new Option<int>("--iterations") { Description = "Timed runs per node (the median counts)", DefaultValueFactory = _ => 5, HelpName = "N" };
        var models = new Option<string?>("--models") { Description = "The models folder (default: $VTA_MODELS, then ./models, then ../shared/models)", HelpName = "DIR" };
        var json = CliOptions.Json();
        var cpu = new Command("cpu", "Time the CPU nodes of ResNet-18 (float) and MobileNetV2 (uint8) on the LLVM kernels vs ONNX Runtime and the managed kernels, one thread")
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
            Graph resnet = ModelCompiler.Compile(ModelLoader.Load("zoo:resnet18"), VtaConfig.Default).Graph;
            rows.AddRange(Measure(resnet, "resnet18", n, withOrt: true, firstConvRow: true));
            try
            {
                string mobilenet = ModelSearchPath.Create(parse.GetValue(models)).RequireFile(MobileNet);
                Graph m = ModelCompiler.Compile(ModelLoader.Load(mobilenet), VtaConfig.Default).Graph;
                rows.AddRange(Measure(m, "mobilenetv2 u8", n, withOrt: false, firstConvRow: false));
            }
            catch (FileNotFoundException e)
            {
                context.Err.WriteLine($"vta: note: {e.Message}; the MobileNetV2 rows are left out");
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

    /// <summary>Every CPU node of <paramref name="graph"/> timed; rows per node kind, a total, and optionally the first conv alone.</summary>
    private static List<BenchRow> Measure(Graph graph, string model, int iterations, bool withOrt, bool firstConvRow)
    {
        Node[] nodes = [.. graph.Nodes.Where(x => ModelCompiler.TargetOf(x) == ExecutionTarget.Cpu)];
        IPreparedCpu llvm = LlvmCpuBackend.Instance.Prepare(graph, nodes);
        IPreparedCpu managed = ManagedCpuBackend.Instance.Prepare(graph, nodes);
        var rng = new Random(1);
        var times = new List<(Node Node, double Ours, double Managed, double? Ort)>();
        foreach (Node node in nodes)
        {
            Tensor[] inputs = [.. node.Inputs.Select(i => graph.ConstantOf(i) ?? RandomOf(rng, graph.TypeOf(i)))];
            double ours = Median(iterations, () => llvm.Run(node, inputs));
            double slow = Median(Math.Min(iterations, 3), () => managed.Run(node, inputs));
            double? ort = withOrt ? OrtMilliseconds(graph, node, inputs, iterations) : null;
            times.Add((node, ours, slow, ort));
        }

        var rows = new List<BenchRow>();
        if (firstConvRow && times.FirstOrDefault(t => t.Node.Op is Conv2d) is { Node: not null } first)
        {
            rows.Add(new BenchRow($"{model} first conv ({first.Node.Name})", first.Ours, first.Managed, first.Ort));
        }

        foreach (var group in times.GroupBy(t => t.Node.Op.Kind))
        {
            rows.Add(Sum($"{model} {group.Key} ×{group.Count()}", [.. group]));
        }

        rows.Add(Sum($"{model} CPU part total ({times.Count} nodes)", times));
        return rows;
    }

    private static BenchRow Sum(string name, List<(Node Node, double Ours, double Managed, double? Ort)> times) => new(name, times.Sum(t => t.Ours),
        times.Sum(t => t.Managed), times.All(t => t.Ort is not null) ? times.Sum(t => t.Ort!.Value) : null);

    /// <summary>The node as a one-node ONNX model on ONNX Runtime (one thread, sequential, all optimizations); null when the writer has no ONNX form for it.</summary>
    private static double? OrtMilliseconds(Graph graph, Node node, Tensor[] inputs, int iterations)
    {
        var b = new GraphBuilder(node.Name);
        var feeds = new List<(string Name, Tensor Value)>();
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
                b.AddInput(name, graph.TypeOf(name));
                feeds.Add((name, inputs[i]));
            }
        }

        b.CopyNode(graph, node);
        b.AddOutput(node.Outputs[0]);
        byte[] model;
        try
        {
            model = OnnxWriter.ToBytes(b.Build());
        }
        catch (Exception e) when (e is GraphException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }

        if (feeds.Any(f => f.Value.DType != DataType.Float32))
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
        using var session = new InferenceSession(model, options);
        using var run = new RunOptions();
        OrtValue[] values = [.. feeds.Select(f => OrtValue.CreateTensorValueFromMemory((float[])f.Value.Data, [.. f.Value.Shape.Select(d => (long)d)]))];
        string[] names = [.. feeds.Select(f => f.Name)];
        try
        {
            return Median(iterations, () => session.Run(run, names, values, [node.Outputs[0]]).Dispose());
        }
        finally
        {
            foreach (OrtValue v in values)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>Milliseconds of the median run, after one untimed run (JIT, caches).</summary>
    private static double Median(int iterations, Action action)
    {
        action();
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
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
        var table = Tables.Create("CPU kernels, one thread (median ms; ratio = ours / ONNX Runtime, lower is faster)",
            "kernel", "LLVM (ours)", "ONNX Runtime", "ratio", "managed");
        foreach (BenchRow r in rows)
        {
            Tables.AddRow(table, r.Name, r.Ours.ToString("0.000", ci), r.Ort?.ToString("0.000", ci) ?? "-", r.Ratio?.ToString("0.00", ci) ?? "-",
                r.Managed.ToString("0.000", ci));
        }

        context.Console.Write(table);
    }

    private sealed record BenchRow(string Name, double Ours, double Managed, double? Ort)
    {
        public double? Ratio => Ort is > 0 ? Ours / Ort : null;

        public JsonObject ToJson() => new()
        {
            ["name"] = Name,
            ["ours_ms"] = Math.Round(Ours, 4),
            ["onnxruntime_ms"] = Ort is { } o ? Math.Round(o, 4) : null,
            ["ratio"] = Ratio is { } r ? Math.Round(r, 3) : null,
            ["managed_ms"] = Math.Round(Managed, 4),
        };
    }
}
