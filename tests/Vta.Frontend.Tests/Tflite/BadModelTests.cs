using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Frontend.Tflite;

namespace Vta.Frontend.Tests.Tflite;

public class BadModelTests
{
    [Fact]
    public void ATinyBuiltModelImportsAndRuns()
    {
        Graph graph = TfliteImporter.Import(TinyTfliteModel.SingleOperator(TfliteBuiltinOperator.Relu), "tiny.tflite");
        Assert.Equal("relu_0", Assert.Single(graph.Nodes).Name);
        Tensor x = Tensor.FromArray(new Shape(1, 4), new[] { -1f, 2f, -3f, 4f });
        Tensor y = ReferenceExecutor.Run(graph, new Dictionary<string, Tensor> { ["x"] = x })["y"];
        Assert.Equal(new[] { 0f, 2f, 0f, 4f }, y.As<float>());
    }

    [Fact]
    public void AnUnsupportedOperatorIsNamedWithItsIndexAndTheFile()
    {
        using TempFile file = new("logistic.tflite");
        File.WriteAllBytes(file.Path, TinyTfliteModel.SingleOperator(14));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => TfliteImporter.ImportFile(file.Path));
        Assert.Equal(file.Path, e.Path);
        Assert.Contains("operator 0 (LOGISTIC)", e.Message);
        Assert.Contains("not supported", e.Message);
    }

    [Fact]
    public void ACustomOperatorIsNamed()
    {
        ModelFormatException e = Assert.Throws<ModelFormatException>(
            () => TfliteImporter.Import(TinyTfliteModel.SingleOperator(32, "MyFancyOp"), "custom.tflite"));
        Assert.Contains("custom.tflite", e.Message);
        Assert.Contains("operator 0 (CUSTOM(MyFancyOp))", e.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "model.tflite");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => TfliteImporter.ImportFile(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("not found", e.Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1000)]
    [InlineData(30000)]
    public void ATruncatedFileIsReportedNotMisread(int keptBytes)
    {
        using TempFile file = TestModels.CopyOf(TestModels.KeywordSpotting, bytes => bytes[..keptBytes]);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => TfliteImporter.ImportFile(file.Path));
        Assert.Equal(file.Path, e.Path);
        Assert.Matches("too short|outside the file|past the end", e.Message);
    }

    [Fact]
    public void ACorruptedHeaderIsReported()
    {
        using TempFile file = TestModels.CopyOf(TestModels.KeywordSpotting, bytes => Damage(bytes, 0, 8, 0xFF));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => TfliteImporter.ImportFile(file.Path));
        Assert.Contains(file.Path, e.Message);
        Assert.Contains("identifier", e.Message);
    }

    [Fact]
    public void ACorruptedTableRegionIsReported()
    {
        // The root table and its vtable sit right after the 8-byte header: overwrite them with 0xFF.
        using TempFile file = TestModels.CopyOf(TestModels.KeywordSpotting, bytes => Damage(bytes, 8, 120, 0xFF));
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => TfliteImporter.ImportFile(file.Path));
        Assert.Contains(file.Path, e.Message);
        Assert.Contains("corrupt or truncated", e.Message);
    }

    [Fact]
    public void ATensorWithTooFewWeightBytesIsReported()
    {
        TfliteModel model = TfliteReader.ReadFile(TestModels.PathOf(TestModels.KeywordSpotting));
        TfliteTensor weights = model.Subgraphs[0].Tensors.First(t => t.Buffer != 0 && !model.Buffers[(int)t.Buffer].IsEmpty);
        List<ReadOnlyMemory<byte>> buffers = [.. model.Buffers];
        buffers[(int)weights.Buffer] = buffers[(int)weights.Buffer][..^1];
        TfliteModel damaged = new(model.Source, model.Version, model.Description, model.OperatorCodes, model.Subgraphs, buffers);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Import(damaged));
        Assert.Contains($"'{weights.Name}'", e.Message);
        Assert.Contains("bytes", e.Message);
    }

    private static byte[] Damage(byte[] bytes, int start, int count, byte value)
    {
        Array.Fill(bytes, value, start, count);
        return bytes;
    }
}
