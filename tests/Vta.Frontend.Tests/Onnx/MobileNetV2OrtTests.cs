using Vta.Compiler.Graphs;
using Vta.Frontend.Images;
using Vta.Frontend.Labels;
using Vta.Frontend.Onnx;
using Vta.Frontend.Onnx.Proto;
using Vta.Frontend.Tests.Tflite;
using Xunit.Abstractions;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>
/// The real int8 MobileNetV2 (52 QLinearConv, QLinearAdd, QLinearGlobalAveragePool, QLinearMatMul) imported and run in
/// the reference executor against ONNX Runtime on the same input tensor.
/// </summary>
public class MobileNetV2OrtTests(ITestOutputHelper output)
{
    private const string Model = "imagenet/mobilenetv2-12-int8.onnx";

    [Fact]
    public void ImportsWithTheExpectedOperators()
    {
        Graph graph = OnnxImporter.ImportFile(TestModels.PathOf(Model));
        Assert.Equal(["input"], graph.Inputs);
        Assert.Equal(["output"], graph.Outputs);
        Assert.Equal(new Shape(1, 3, 224, 224), graph.TypeOf("input").Shape);
        Assert.Equal(new Shape(1, 1000), graph.TypeOf("output").Shape);
        Dictionary<string, int> kinds = graph.Nodes.GroupBy(n => n.Op.Kind).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", kinds.Select(k => $"{k.Key} x{k.Value}")));
        Assert.Equal(52, kinds["qlinear_conv2d"]);
        Assert.Equal(11, kinds["qlinear_add"]);
        Assert.Equal(1, kinds["qlinear_global_avg_pool2d"]);
        Assert.Equal(1, kinds["qlinear_matmul"]);
        Assert.Equal(1, kinds["quantize_linear"]);
        // The Shape -> Gather -> Unsqueeze -> Concat chain folded into a static reshape; its DequantizeLinear is gone.
        Assert.Equal(1, kinds["reshape"]);
        Assert.Equal(1, kinds["dequantize"]);
        Assert.Equal(new Shape(1, 1280), graph.TypeOf(graph.Nodes.Single(n => n.Op is Reshape).Output).Shape);
        Assert.Equal(17, graph.Nodes.Count(n => n.Op is QLinearConv2d { Groups: > 1 }));
    }

    /// <summary>
    /// Acceptance: same top-1 (Egyptian cat) and top-5 as ONNX Runtime. The logits are dequantized int8 values, so
    /// they are multiples of the output scale (0.160); the executor reproduces ORT's integer accumulation and float
    /// requantization, so the bound is one quantization step and the measured difference is reported.
    /// </summary>
    [Fact]
    public void MatchesOnnxRuntimeOnChelsea()
    {
        string path = TestModels.PathOf(Model);
        byte[] bytes = File.ReadAllBytes(path);
        float[] pixels = Preprocess.ImageNetFloatNchw(224).Apply(ImageDecoder.Load(TestModels.PathOf("images/chelsea.png"))).ToFloat32();
        Tensor input = Tensor.FromArray(new Shape(1, 3, 224, 224), pixels);
        Dictionary<string, Tensor> inputs = new() { ["input"] = input };

        float[] ours = Ort.RunOurs(bytes, inputs, path)[0].As<float>();
        float[] ort = Ort.Run(bytes, inputs)[0].As<float>();

        LabelSet labels = LabelSet.Load(TestModels.PathOf("labels/classification_classes_ILSVRC2012.txt"));
        int[] topOurs = TopK.Indices(ours, 5), topOrt = TopK.Indices(ort, 5);
        float[] pOurs = TopK.Softmax(ours), pOrt = TopK.Softmax(ort);
        double maxDiff = ours.Zip(ort, (a, b) => Math.Abs(a - b)).Max();
        int differing = ours.Zip(ort).Count(p => p.First != p.Second);
        const float OutputScale = 0.16014458f;
        output.WriteLine($"max |logit diff| {maxDiff} ({maxDiff / OutputScale:F2} steps of the output scale), {differing} of 1000 logits differ");
        for (int i = 0; i < 5; i++)
        {
            output.WriteLine($"  ours {labels.NameOf(topOurs[i])} {pOurs[topOurs[i]]:F3} | ORT {labels.NameOf(topOrt[i])} {pOrt[topOrt[i]]:F3}");
        }
        Assert.Equal("Egyptian cat", labels.NameOf(topOurs[0]));
        Assert.Equal(topOrt[0], topOurs[0]);
        Assert.Equal(topOrt.Order(), topOurs.Order());
        Assert.True(maxDiff <= OutputScale * 1.001, $"max |logit diff| {maxDiff} exceeds one output quantization step");
    }

    [Fact]
    public void BatchOverrideGivesBatchedShapes()
    {
        Graph graph = OnnxImporter.ImportFile(TestModels.PathOf(Model), new OnnxImportOptions { BatchSize = 2 });
        Assert.Equal(new Shape(2, 3, 224, 224), graph.TypeOf("input").Shape);
        Assert.Equal(new Shape(2, 1000), graph.TypeOf("output").Shape);
        // The folded shape chain follows the batch: [2, -1] resolves against [2, 1280, 1, 1].
        Assert.Equal(new Shape(2, 1280), graph.TypeOf(graph.Nodes.Single(n => n.Op is Reshape).Output).Shape);
    }

    [Fact]
    public void WithoutOverrideTheSymbolicBatchIsOne()
    {
        ModelProto model = OnnxImporter.Parse(File.ReadAllBytes(TestModels.PathOf(Model)), Model);
        Assert.Equal("batch_size", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(1, OnnxImporter.Import(model, Model).TypeOf("input").Shape[0]);
    }
}
