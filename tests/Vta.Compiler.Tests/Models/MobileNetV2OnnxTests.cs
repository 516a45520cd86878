using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Frontend.Images;
using Vta.Frontend.Onnx;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Xunit.Abstractions;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// The ONNX Model Zoo's int8 MobileNetV2 (QLinearConv, QLinearAdd, QLinearGlobalAveragePool, QLinearMatMul) compiled for
/// VTA: pointwise convs, the first conv and the classifier (QLinearMatMul + bias QLinearAdd as one dense layer) on VTA,
/// depthwise convs and the rest on the CPU in ONNX Runtime's arithmetic.
/// </summary>
public class MobileNetV2OnnxTests(ITestOutputHelper output)
{
    private const string Model = "imagenet/mobilenetv2-12-int8.onnx";

    [Fact]
    public void PointwiseConvsAndTheClassifierRunOnVtaBitExactAndClassifyChelseaAsOnnxRuntime()
    {
        var clock = Stopwatch.StartNew();
        string path = SharedModels.PathOf(Model);
        Graph source = OnnxImporter.ImportFile(path);
        float[] pixels = Preprocess.ImageNetFloatNchw(224).Apply(ImageDecoder.Load(SharedModels.PathOf("images/chelsea.png"))).ToFloat32();
        var inputs = new Dictionary<string, Tensor> { [source.Inputs[0]] = Tensor.FromArray(new Shape(1, 3, 224, 224), pixels) };
        CompiledModel m = ModelCompiler.Compile(source, VtaConfig.Default);
        var laps = new List<string>();
        double last = 0;
        void Lap(string what)
        {
            laps.Add($"{what} {clock.Elapsed.TotalSeconds - last:0.0} s");
            last = clock.Elapsed.TotalSeconds;
        }
        Lap("import + compile");

        // Every conv with groups 1 (the first 3×3 conv and the 34 pointwise convs) and the classifier go to VTA; the 17 depthwise stay.
        Assert.Empty(m.Notes);
        int convs = source.Nodes.Count(n => n.Op is QLinearConv2d { Groups: 1 });
        Assert.Equal(convs, m.VtaLayers.Count(l => l.Node.Op is VtaConv2d));
        VtaLayer classifier = Assert.Single(m.VtaLayers, l => l.Node.Op is VtaDense);
        Assert.Equal(source.Nodes.Single(n => n.Op is QLinearMatMul).Name, classifier.Node.Name);
        Assert.DoesNotContain(m.Graph.Nodes, n => n.Op is QLinearMatMul);
        Assert.Equal(17, m.Graph.Nodes.Count(n => n.Op is QLinearConv2d c && c.Groups == m.Graph.TypeOf(n.Inputs[0]).Shape[1]));
        Assert.Equal(convs + 1, m.VtaLayers.Count);

        using var device = new SimDevice(m.Config);
        ModelRunResult run = m.Run(device, inputs, new ModelRunOptions { KeepValues = true });
        float[] vta = run.Outputs[source.Outputs[0]].As<float>();
        Lap("VTA run");
        Dictionary<string, Tensor> plain = ReferenceExecutor.RunAll(m.Graph, inputs);
        Lap("plain int8 executor");
        Assert.All(m.VtaLayers, l => Assert.Equal(plain[l.Node.Output].As<sbyte>(), run.Values![l.Node.Output].As<sbyte>()));
        Assert.Equal(plain[source.Outputs[0]].As<float>(), vta);

        float[] own = ReferenceExecutor.Run(source, inputs)[source.Outputs[0]].As<float>();
        Lap("own arithmetic");
        float[] ort = RunOnnxRuntime(path, source.Inputs[0], pixels);
        Lap("ONNX Runtime");
        // The logits are dequantized uint8: multiples of the output scale.
        float step = source.TypeOf(source.ProducerOf(source.Outputs[0])!.Inputs[0]).Quant!.Scale;
        Comparison vsOrt = Comparison.Of(vta, ort, step), vsOwn = Comparison.Of(vta, own, step), ownVsOrt = Comparison.Of(own, ort, step);
        output.WriteLine($"{m}; {string.Join(", ", laps)}; total {clock.Elapsed.TotalSeconds:0.0} s; counters {run.Counters}");
        output.WriteLine($"  VTA vs ONNX Runtime: {vsOrt}");
        output.WriteLine($"  VTA vs own int8:     {vsOwn}");
        output.WriteLine($"  own vs ONNX Runtime: {ownVsOrt}");
        output.WriteLine($"  top-5 VTA {Top(vta)} | own {Top(own)} | ORT {Top(ort)}");

        Assert.Equal(Comparison.TopIndices(ort)[0], Comparison.TopIndices(vta)[0]);
        Assert.Equal(Comparison.TopIndices(own)[0], Comparison.TopIndices(vta)[0]);
        // Measured on chelsea: 5/5 and 2.40 (15 steps of the 0.160 output scale) against both; a margin for other CPUs' ORT kernels.
        Assert.True(vsOrt.Overlap >= 4 && vsOwn.Overlap >= 4, $"top-5 overlap {vsOrt.Overlap} with ORT, {vsOwn.Overlap} with own");
        Assert.True(vsOwn.MaxAbsDiff <= 4f, $"max |logit diff| {vsOwn.MaxAbsDiff} from the model's own arithmetic");
    }

    private static float[] RunOnnxRuntime(string path, string inputName, float[] pixels)
    {
        using SessionOptions options = new() { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using InferenceSession session = new(File.ReadAllBytes(path), options);
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, 224, 224]);
        using RunOptions run = new();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(run, [inputName], [value], [.. session.OutputNames]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static string Top(float[] logits) => string.Join(", ", Comparison.TopIndices(logits).Select(i => $"{i}:{logits[i]:0.00}"));

    /// <summary>Two logit vectors: top-1 agreement, top-5 overlap, max |difference| and how many differ.</summary>
    private sealed record Comparison(bool Top1Agrees, int Overlap, float MaxAbsDiff, int Differing, float Step)
    {
        public static Comparison Of(float[] a, float[] b, float step)
        {
            int[] ta = TopIndices(a), tb = TopIndices(b);
            return new Comparison(ta[0] == tb[0], ta.Intersect(tb).Count(), a.Zip(b, (x, y) => Math.Abs(x - y)).Max(), a.Zip(b).Count(p => p.First != p.Second), step);
        }

        public static int[] TopIndices(float[] logits) => OutputComparison.TopIndices(logits, 5);

        public override string ToString() =>
            $"top-1 {(Top1Agrees ? "agrees" : "differs")}, top-5 overlap {Overlap}/5, max |diff| {MaxAbsDiff:0.000} ({MaxAbsDiff / Step:0.0} output steps), {Differing} of 1000 differ";
    }
}
