using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx;
using Vta.Frontend.Onnx.Proto;
using Vta.Frontend.Tests.Tflite;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>The writer's ONNX forms, checked by running the written file in ONNX Runtime against the executor on the graph.</summary>
public class OnnxWriterTests
{
    /// <summary>Every op the writer knows, fused activations included, in one small float graph.</summary>
    private static Graph AllOps(bool ceilPool)
    {
        GraphBuilder b = new("all_ops");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(1, 3, 8, 8)));
        void Const(string name, params int[] dims) => b.AddConstant(name, Ort.RandomFloats(name.Length * 7, dims));
        Const("w1", 4, 3, 3, 3);
        Const("b1", 4);
        Const("wd", 4, 1, 3, 3);
        Const("gamma", 4);
        Const("beta", 4);
        Const("mean", 4);
        b.AddConstant("var", Tensor.FromArray(new Shape(4), [0.5f, 1f, 1.5f, 2f]));
        Const("scale", 4, 1, 1);
        Const("shift", 1);
        Const("dense_w", 5, 8);
        Const("mm", 5, 6);
        b.AddNode("conv", new Conv2d(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One, Activation: FusedActivation.Relu), ["x", "w1", "b1"], "c1");
        b.AddNode("dw", new DepthwiseConv2d(new Size2d(2, 2), new Pads2d(1, 1, 1, 1), Size2d.One, Activation: FusedActivation.Relu6), ["c1", "wd"], "d");
        b.AddNode("bn", new BatchNorm(1e-3f), ["d", "gamma", "beta", "mean", "var"], "bn");
        b.AddNode("maxpool", new MaxPool(new Size2d(2, 2), Size2d.One, new Pads2d(0, 0, 1, 1), CeilMode: ceilPool), ["bn"], "m");
        b.AddNode("avgpool", new AvgPool(new Size2d(3, 3), Size2d.One, new Pads2d(1, 1, 1, 1), CountIncludePad: true), ["bn"], "a");
        b.AddNode("add", new Add(), ["m", "a"], "s");
        b.AddNode("mul", new Mul(), ["s", "scale"], "s2");
        b.AddNode("sub", new Sub(FusedActivation.Relu), ["s2", "shift"], "s3");
        b.AddNode("clip", new Clip(-1f, 2f), ["s3"], "s4");
        b.AddNode("pad", new Pad([0, 0, 1, 1, 0, 0, 0, 0], 0.25f), ["s4"], "p");
        b.AddNode("concat", new Concat(1), ["p", "p"], "cc");
        b.AddNode("transpose", new Transpose([0, 1, 3, 2]), ["cc"], "t");
        b.AddNode("gap", new GlobalAvgPool(), ["t"], "g");
        b.AddNode("flatten", new Flatten(), ["g"], "f");
        b.AddNode("dense", new Dense(), ["f", "dense_w"], "dn");
        b.AddNode("matmul", new MatMul(), ["dn", "mm"], "mmo");
        b.AddNode("reshape", new Reshape(new Shape(2, 3)), ["mmo"], "r");
        b.AddNode("relu", new Relu(), ["r"], "rr");
        b.AddNode("softmax", new Softmax(), ["rr"], "out");
        b.AddOutput("out");
        b.AddOutput("t");
        return b.Build();
    }

    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(13)]
    public void WrittenModelsRunInOnnxRuntimeLikeTheGraph(int opset)
    {
        Graph graph = AllOps(ceilPool: opset >= 10);
        byte[] bytes = OnnxWriter.ToBytes(graph, new OnnxWriteOptions { Opset = opset });
        Dictionary<string, Tensor> inputs = new() { ["x"] = Ort.RandomFloats(1, 1, 3, 8, 8) };
        Tensor[] ort = Ort.Run(bytes, inputs);
        IReadOnlyDictionary<string, Tensor> ours = ReferenceExecutor.Run(graph, inputs);
        for (int i = 0; i < graph.Outputs.Count; i++)
        {
            Assert.True(Ort.MaxScaledError(ours[graph.Outputs[i]], ort[i]) < 1e-5, graph.Outputs[i]);
        }
        // Imported back, the same values come out (fused activations are separate nodes in ONNX).
        Tensor[] reimported = Ort.RunOurs(bytes, inputs);
        Assert.True(Ort.MaxScaledError(reimported[0], ort[0]) < 1e-5);
    }

    [Fact]
    public void OpsetSevenNeedsNoCeilPooling()
    {
        NotSupportedException e = Assert.Throws<NotSupportedException>(() => OnnxWriter.ToModel(AllOps(ceilPool: true)));
        Assert.Contains("'maxpool'", e.Message, StringComparison.Ordinal);
        Assert.Contains("opset 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OldOpsetsListInitializersAsInputsAndGiveGemmABias()
    {
        ModelProto v7 = OnnxWriter.ToModel(AllOps(ceilPool: false));
        Assert.Equal(3, v7.IrVersion);
        HashSet<string> inputs = [.. v7.Graph.Input.Select(i => i.Name)];
        Assert.All(v7.Graph.Initializer, t => Assert.Contains(t.Name, inputs));
        Assert.All(v7.Graph.Initializer, t => Assert.False(t.RawData.IsEmpty));
        Assert.Equal(3, v7.Graph.Node.Single(n => n.OpType == "Gemm").Input.Count);

        ModelProto v13 = OnnxWriter.ToModel(AllOps(ceilPool: false), new OnnxWriteOptions { Opset = 13 });
        Assert.Equal(7, v13.IrVersion);
        Assert.Equal(["x"], v13.Graph.Input.Select(i => i.Name));
        Assert.Equal(2, v13.Graph.Node.Single(n => n.OpType == "Gemm").Input.Count);
    }

    [Fact]
    public void QuantizedGraphsAreRefusedNamingTheNode()
    {
        Graph mobilenet = OnnxImporter.ImportFile(TestModels.PathOf("imagenet/mobilenetv2-12-int8.onnx"));
        NotSupportedException e = Assert.Throws<NotSupportedException>(() => OnnxWriter.ToModel(mobilenet));
        Assert.Contains("quantized", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesAtomically()
    {
        using TempFile file = new("model.onnx");
        File.WriteAllText(file.Path, "old");
        OnnxWriter.WriteFile(AllOps(ceilPool: false), file.Path);
        // 19 nodes, three of them with a fused activation that ONNX spells as a node of its own.
        Assert.Equal(22, OnnxImporter.ImportFile(file.Path).Nodes.Count);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file.Path)!));

        // A graph the writer refuses leaves the existing file as it was.
        byte[] before = File.ReadAllBytes(file.Path);
        GraphBuilder b = new("bad");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(1, 4)));
        b.AddNode("mean", new Mean([1]), ["x"], "y");
        b.AddOutput("y");
        Assert.Throws<NotSupportedException>(() => OnnxWriter.WriteFile(b.Build(), file.Path));
        Assert.Equal(before, File.ReadAllBytes(file.Path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file.Path)!));
    }
}
