using System.Reflection;
using Vta.Compiler.Graphs;

namespace Vta.Frontend.Tests.Tflite;

/// <summary>
/// The shared models for these tests, found through <see cref="ModelSearchPath"/> from the repository root the test
/// assembly was built in. A missing folder fails the test with the list of places tried (never a silent pass).
/// </summary>
internal static class TestModels
{
    public const string MobileNetV2 = "imagenet/mobilenet_v2_1.0_224_quant.tflite";
    public const string ResNet8 = "mlperf-tiny/pretrainedResnet_quant.tflite";
    public const string KeywordSpotting = "mlperf-tiny/kws_ref_model.tflite";

    public static string RepoRoot { get; } = typeof(TestModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    public static ModelSearchPath SearchPath => ModelSearchPath.Create(baseDirectory: RepoRoot);

    public static string PathOf(string relative) => SearchPath.RequireFile(relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    /// <summary>A scratch copy of a model to damage, deleted with the returned handle.</summary>
    public static TempFile CopyOf(string relative, Func<byte[], byte[]> damage)
    {
        TempFile file = new(Path.GetFileName(relative));
        File.WriteAllBytes(file.Path, damage(Bytes(relative)));
        return file;
    }

    public static int ArgMax(int[] values) => Array.IndexOf(values, values.Max());

    public static Tensor InputFromFile(Graph graph, string relative)
    {
        TensorType type = graph.TypeOf(graph.Inputs[0]);
        byte[] raw = Bytes(relative);
        return Tensor.FromBytes(type, raw);
    }
}

/// <summary>A uniquely named file in the temp folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string name)
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vta-tflite-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Path = System.IO.Path.Combine(dir, name);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
}
