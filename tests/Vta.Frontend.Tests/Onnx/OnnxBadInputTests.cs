using Google.Protobuf;
using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx;
using Vta.Frontend.Onnx.Proto;
using Vta.Frontend.Tests.Tflite;
using Xunit.Abstractions;
using static Vta.Frontend.Tests.Onnx.OnnxModelBuilder;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>Damaged and unsupported ONNX files give a <see cref="ModelFormatException"/> that says what and where.</summary>
public class OnnxBadInputTests(ITestOutputHelper output)
{
    private const string Model = "imagenet/mobilenetv2-12-int8.onnx";

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.999)]
    [InlineData(0.0001)]
    public void TruncatedFile(double keep)
    {
        using TempFile file = TestModels.CopyOf(Model, b => b[..(int)(b.Length * keep)]);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.ImportFile(file.Path));
        output.WriteLine(e.Message);
        Assert.Equal(file.Path, e.Path);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptedBytes()
    {
        // The model's first bytes are field tags; 0xFF.. is an invalid varint tag.
        using TempFile file = TestModels.CopyOf(Model, b =>
        {
            byte[] c = (byte[])b.Clone();
            Array.Fill(c, (byte)0xFF, 0, 16);
            return c;
        });
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.ImportFile(file.Path));
        output.WriteLine(e.Message);
        Assert.StartsWith(file.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherFormatIsNotAModel()
    {
        byte[] png = File.ReadAllBytes(TestModels.PathOf("images/chelsea.png"));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(png, "chelsea.onnx"));
        Assert.Contains("chelsea.onnx", e.Message, StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => OnnxImporter.Import([], "empty.onnx"));
    }

    [Fact]
    public void MissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.onnx");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.ImportFile(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedOperatorNamesTheOpAndTheNode()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 4).Output("y", DataType.Float32)
            .Node("Relu", ["x"], ["r"]).Node("Erf", ["r"], ["y"]);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(m.Build(), "erf.onnx"));
        output.WriteLine(e.Message);
        Assert.Contains("Erf", e.Message, StringComparison.Ordinal);
        Assert.Contains("'erf_1'", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("erf.onnx: ", e.Message, StringComparison.Ordinal);

        OnnxModelBuilder custom = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 4).Output("y", DataType.Float32)
            .Node("Relu", "com.example", ["x"], ["y"]);
        e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(custom.Build(), "custom.onnx"));
        Assert.Contains("com.example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedAttributeValuesNameTheNode()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 2, 4, 4).Output("y", DataType.Float32)
            .Node("Pad", ["x"], ["y"], Str("mode", "reflect"));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(m.Build(), "pad.onnx"));
        output.WriteLine(e.Message);
        Assert.Contains("node 'pad_0' (Pad)", e.Message, StringComparison.Ordinal);
        Assert.Contains("reflect", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InitializerDataOfTheWrongSize()
    {
        ModelProto model = new OnnxModelBuilder().Input("x", DataType.Float32, 2).Output("y", DataType.Float32)
            .Init("c", Tensor.FromArray(new Shape(2), [1f, 2f])).Node("Add", ["x", "c"], ["y"]).Build();
        model.Graph.Initializer[0].RawData = ByteString.CopyFrom(new byte[7]);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(model, "short.onnx"));
        output.WriteLine(e.Message);
        Assert.Contains("tensor 'c'", e.Message, StringComparison.Ordinal);
        Assert.Contains("7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DynamicDimensionsOtherThanTheBatch()
    {
        ModelProto model = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 4).Output("y", DataType.Float32)
            .Node("Relu", ["x"], ["y"]).Build();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimParam = "width";
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(model, "dyn.onnx"));
        output.WriteLine(e.Message);
        Assert.Contains("'width'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndefinedInputsAndWrongDeclaredShapes()
    {
        OnnxModelBuilder unsorted = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 4).Output("y", DataType.Float32)
            .Node("Relu", ["later"], ["y"]).Node("Relu", ["x"], ["later"]);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(unsorted.Build(), "order.onnx"));
        output.WriteLine(e.Message);
        Assert.Contains("'later'", e.Message, StringComparison.Ordinal);
        Assert.Contains("relu_0", e.Message, StringComparison.Ordinal);

        OnnxModelBuilder shape = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 4).Output("y", DataType.Float32, 1, 5)
            .Node("Relu", ["x"], ["y"]);
        e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(shape.Build(), "shape.onnx"));
        Assert.Contains("[1,5]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncompatibleShapesNameTheNode()
    {
        OnnxModelBuilder m = new OnnxModelBuilder().Input("x", DataType.Float32, 1, 3, 8, 8).Output("y", DataType.Float32)
            .Init("w", Ort.RandomFloats(1, 4, 2, 3, 3)).Node("Conv", ["x", "w"], ["y"]);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => OnnxImporter.Import(m.Build(), "conv.onnx"));
        output.WriteLine(e.Message);
        Assert.Contains("conv_0", e.Message, StringComparison.Ordinal);
    }
}
