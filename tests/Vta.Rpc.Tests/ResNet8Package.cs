using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Frontend;
using Vta.Frontend.Npz;
using Vta.Frontend.Tflite;
using Vta.Hardware.Config;

namespace Vta.Rpc.Tests;

/// <summary>The MLPerf Tiny ResNet-8 compiled for the default configuration and saved as a package, once per test class.</summary>
public sealed class ResNet8Package : IDisposable
{
    private readonly TempDir _dir = new();

    public ResNet8Package()
    {
        string folder = ModelSearchPath.Create(baseDirectory: TestAgents.RepoRoot).RequireDirectory();
        Graph source = TfliteImporter.ImportFile(System.IO.Path.Combine(folder, "mlperf-tiny", "pretrainedResnet_quant.tflite"));
        CompiledModel model = ModelCompiler.Compile(source, VtaConfig.Default);
        Path = _dir.File("resnet8.vtapkg");
        VtaPackage.FromModel(model, new PackageInfo("resnet8", "pretrainedResnet_quant.tflite", DateTimeOffset.UnixEpoch, "tests", null, model.Notes)).Save(Path);
        Package = VtaPackage.Load(Path);
        Bytes = File.ReadAllBytes(Path);
        var random = new Random(11);
        Inputs = Package.Graph.Inputs.ToDictionary(i => i, i => NpzTensors.Random(Package.Graph.TypeOf(i), random));
    }

    public string Path { get; }

    public VtaPackage Package { get; }

    public byte[] Bytes { get; }

    public Dictionary<string, Tensor> Inputs { get; }

    public void Dispose() => _dir.Dispose();
}
