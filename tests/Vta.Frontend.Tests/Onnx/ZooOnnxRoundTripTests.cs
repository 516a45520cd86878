using System.Runtime.InteropServices;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.ModelZoo;
using Vta.Frontend.Onnx;
using Vta.Frontend.Onnx.Proto;
using Vta.Frontend.Tests.Tflite;
using Xunit.Abstractions;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>
/// Zoo models written as ONNX (opset 7, the operators of the ONNX Model Zoo's resnet18-v1-7), read back, and run in
/// ONNX Runtime against the reference executor.
/// </summary>
public class ZooOnnxRoundTripTests(ITestOutputHelper output)
{
    private static readonly Lazy<Graph> ResNet18 = new(() => Zoo.Build("zoo:resnet18", seed: 7));

    // The reference executor's float convolution takes tens of seconds for ResNet-50 at 224 x 224 in a Debug build,
    // so ResNet-50 runs at 64 x 64 (same weights and structure; the global pool keeps the classifier the same).
    private static readonly Lazy<Graph> ResNet50Small = new(() => Zoo.Build("zoo:resnet50", seed: 7, imageSize: 64));

    [Fact]
    public void ResNet18ReadsBackAsTheSameGraph()
    {
        Graph zoo = ResNet18.Value;
        ModelProto model = OnnxWriter.ToModel(zoo);
        Assert.Equal(7, model.OpsetImport.Single().Version);
        Assert.Equal(3, model.IrVersion);
        Assert.Equal(
            ["Add", "BatchNormalization", "Conv", "Flatten", "Gemm", "GlobalAveragePool", "MaxPool", "Relu"],
            model.Graph.Node.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal));
        Graph back = OnnxImporter.Import(model, "resnet18.onnx");
        AssertSameGraph(zoo, back);
    }

    [Fact]
    public void ResNet50ReadsBackAsTheSameGraph()
    {
        Graph zoo = ResNet50Small.Value;
        Graph back = OnnxImporter.Import(OnnxWriter.ToBytes(zoo), "resnet50.onnx");
        AssertSameGraph(zoo, back);
    }

    /// <summary>Acceptance: ONNX Runtime on the written file and the executor on the zoo graph agree within 1e-4 relative.</summary>
    [Fact]
    public void ResNet18InOnnxRuntimeMatchesTheExecutor()
    {
        Graph zoo = ResNet18.Value;
        using TempFile file = new("resnet18.onnx");
        OnnxWriter.WriteFile(zoo, file.Path);
        CompareWithOrt(zoo, File.ReadAllBytes(file.Path), seed: 11);
    }

    [Fact]
    public void ResNet50InOnnxRuntimeMatchesTheExecutor() => CompareWithOrt(ResNet50Small.Value, OnnxWriter.ToBytes(ResNet50Small.Value), seed: 12);

    private void CompareWithOrt(Graph zoo, byte[] model, int seed)
    {
        Shape shape = zoo.TypeOf("data").Shape;
        Dictionary<string, Tensor> inputs = new() { ["data"] = Ort.RandomFloats(seed, [.. shape]) };
        Tensor ours = ReferenceExecutor.Run(zoo, inputs)[zoo.Outputs[0]];
        Tensor ort = Ort.Run(model, inputs)[0];
        float[] a = ours.As<float>(), b = ort.As<float>();
        double maxAbs = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        double scale = b.Max(Math.Abs);
        output.WriteLine($"{zoo.Name} {shape}: max |diff| {maxAbs:E2}, largest |logit| {scale:F3}, relative {maxAbs / scale:E2}; argmax ours {Array.IndexOf(a, a.Max())}, ORT {Array.IndexOf(b, b.Max())}");
        Assert.Equal(ort.Shape, ours.Shape);
        Assert.True(maxAbs <= 1e-4 * scale, $"max |diff| {maxAbs} is above 1e-4 of the largest logit {scale}");
        Assert.Equal(Array.IndexOf(b, b.Max()), Array.IndexOf(a, a.Max()));
    }

    /// <summary>Same inputs, outputs, nodes (names, ops with attributes, wiring), value types, and bit-identical constants.</summary>
    internal static void AssertSameGraph(Graph expected, Graph actual)
    {
        Assert.Equal(expected.Inputs, actual.Inputs);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.Nodes.Count, actual.Nodes.Count);
        for (int i = 0; i < expected.Nodes.Count; i++)
        {
            Node e = expected.Nodes[i], a = actual.Nodes[i];
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Op, a.Op);
            Assert.Equal(e.Inputs, a.Inputs);
            Assert.Equal(e.Outputs, a.Outputs);
            Assert.Equal(expected.TypeOf(e.Output), actual.TypeOf(a.Output));
        }
        Assert.Equal(expected.Constants.Keys.Order(StringComparer.Ordinal), actual.Constants.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, Tensor value) in expected.Constants)
        {
            Tensor other = actual.Constants[name];
            Assert.Equal(value.Type, other.Type);
            Assert.True(Bytes(value).SequenceEqual(Bytes(other)), $"constant '{name}' differs");
        }
    }

    private static ReadOnlySpan<byte> Bytes(Tensor t) => t.Data switch
    {
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
        long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
        int[] n => MemoryMarshal.AsBytes(n.AsSpan()),
        byte[] b => b,
        _ => throw new NotSupportedException(t.DType.Name()),
    };
}
