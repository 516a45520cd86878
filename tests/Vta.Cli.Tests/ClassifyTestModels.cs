using System.Reflection;
using Vta.Frontend;

namespace Vta.Cli.Tests;

/// <summary>The shared models folder, found from the repository root the test assembly records.</summary>
internal static class ClassifyTestModels
{
    public const string Onnx = "imagenet/mobilenetv2-12-int8.onnx";
    public const string Kws = "mlperf-tiny/kws_ref_model.tflite";
    public const string ResNet8 = "mlperf-tiny/pretrainedResnet_quant.tflite";
    public const string Marvin = "mlperf-tiny/marvin_617de221_0.wav";

    public static string Folder { get; } = ModelSearchPath.Create(baseDirectory: typeof(ClassifyTestModels).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value).RequireDirectory();

    public static string PathOf(string relative) => Path.Combine(Folder, relative);
}
