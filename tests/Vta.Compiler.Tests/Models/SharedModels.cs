using System.Reflection;
using Vta.Compiler.Graphs;
using Vta.Frontend;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// The shared models and golden vectors, found through <see cref="ModelSearchPath"/> from the repository root the tests
/// were built in. A missing folder fails the test with the places tried, never a silent pass.
/// </summary>
internal static class SharedModels
{
    public const string MobileNetV2 = "imagenet/mobilenet_v2_1.0_224_quant.tflite";
    public const string ResNet8 = "mlperf-tiny/pretrainedResnet_quant.tflite";

    private static string RepoRoot { get; } = typeof(SharedModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    public static string PathOf(string relative) => ModelSearchPath.Create(baseDirectory: RepoRoot).RequireFile(relative);

    /// <summary>The graph's single input, read from a golden .in file.</summary>
    public static Dictionary<string, Tensor> GoldenInput(Graph graph, string file) =>
        new() { [graph.Inputs[0]] = Tensor.FromBytes(graph.TypeOf(graph.Inputs[0]), File.ReadAllBytes(PathOf("golden/" + file))) };

    /// <summary>A golden .out file as a tensor of the graph's output type.</summary>
    public static Tensor GoldenOutput(Graph graph, string file) =>
        Tensor.FromBytes(graph.TypeOf(graph.Outputs[0]), File.ReadAllBytes(PathOf("golden/" + file)));
}
