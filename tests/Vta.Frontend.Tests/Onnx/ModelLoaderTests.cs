using Vta.Compiler.Graphs;
using Vta.Frontend.Tests.Tflite;

namespace Vta.Frontend.Tests.Onnx;

/// <summary><see cref="ModelLoader"/> dispatches on zoo:, .onnx and .tflite and explains anything else.</summary>
public class ModelLoaderTests
{
    [Fact]
    public void LoadsOnnxAndTfliteFiles()
    {
        Graph onnx = ModelLoader.Load(TestModels.PathOf("imagenet/mobilenetv2-12-int8.onnx"));
        Assert.Contains(onnx.Nodes, n => n.Op is QLinearConv2d);
        Graph tflite = ModelLoader.Load(TestModels.PathOf(TestModels.MobileNetV2));
        Assert.Contains(tflite.Nodes, n => n.Op is DepthwiseConv2d);
    }

    [Fact]
    public void LoadsZooModels()
    {
        Graph g = ModelLoader.Load("zoo:resnet18");
        Assert.Equal("resnet18", g.Name);
        Assert.Equal(69, g.Nodes.Count);
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => ModelLoader.Load("zoo:vgg16"));
        Assert.Contains("zoo:resnet50", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model.pb")]
    [InlineData("model")]
    public void OtherArgumentsGetAClearError(string name)
    {
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(name));
        Assert.StartsWith(name + ": unknown model format", e.Message, StringComparison.Ordinal);
        Assert.Contains(".onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("zoo:resnet18", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".onnx")]
    [InlineData(".TFLITE")]
    public void MissingFiles(string extension)
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}{extension}");
        ModelFormatException e = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }
}
