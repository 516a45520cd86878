using System.IO.Compression;
using System.Text.Json.Nodes;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Compiler.Programs;
using Vta.Compiler.Tests.Passes;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// The exact form of uint8 weights whose zero point is far from 128 (w − zw spans 9 bits): VTA multiplies by w − 128 and
/// sums the input in one more channel of ones; the host adds (128 − zw) times that sum. A conv (32 outputs, so the sum
/// channel takes a block of its own) and a matmul (20 units: it fits in the padded block) must give ONNX Runtime's
/// arithmetic bit for bit, at two block sizes and with batch 2.
/// </summary>
public class ExactUint8WeightsTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(0, 5)]
    [InlineData(1, 4)]
    public void AConvAndAMatMulWithFarZeroPointsGiveTheModelsOwnOutput(int logBatch, int logBlock)
    {
        Graph source = Net(batch: 1 << logBatch);
        VtaConfig config = VtaConfig.Create(logBatch: logBatch, logBlock: logBlock);
        CompiledModel m = ModelCompiler.Compile(source, config, new ModelCompileOptions { Requantization = RequantMode.Exact });
        Assert.Empty(m.Notes);
        Assert.Equal(2, m.VtaLayers.Count);
        Assert.All(m.VtaLayers, l => Assert.NotEqual(0, l.InputSumFactor));
        Assert.Equal(128 - 40, m.VtaLayers.Single(l => l.Node.Op is VtaConv2d).InputSumFactor);

        var inputs = new Dictionary<string, Tensor> { ["x"] = QLinearTestGraphs.RandomInput(3, uint8: true, source.TypeOf("x").Shape) };
        // Also under the race checker: every plane store and input-sum channel is ordered by its tokens.
        using var device = new SimDevice(config) { CheckRaces = true };
        ModelRunResult run = m.Run(device, inputs, new ModelRunOptions { KeepValues = true });
        Dictionary<string, Tensor> own = ReferenceExecutor.RunAll(source, inputs);
        Dictionary<string, Tensor> plain = ReferenceExecutor.RunAll(m.Graph, inputs);
        Assert.All(m.VtaLayers, l => Assert.Equal(plain[l.Node.Output].As<sbyte>(), run.Values![l.Node.Output].As<sbyte>()));
        Assert.Equal(own["c0"].ToInt32Values(), run.Values!["c0"].ToInt32Values());
        Assert.Equal(own["y"].ToInt32Values(), run.Outputs["y"].ToInt32Values());
        // Not a constant answer: the conv's outputs spread over many steps.
        Assert.True(own["c0"].ToInt32Values().Distinct().Count() > 50);
    }

    /// <summary>An exact layer kept on the CPU (--cpu-nodes) runs its input-sum form in the reference kernels: the same output.</summary>
    [Fact]
    public void AnExactLayerKeptOnTheCpuGivesTheSameOutput()
    {
        Graph source = Net(batch: 1);
        var options = new ModelCompileOptions { Requantization = RequantMode.Exact, ForceCpu = ["conv0"] };
        CompiledModel m = ModelCompiler.Compile(source, VtaConfig.Default, options);
        VtaLayer only = Assert.Single(m.VtaLayers);
        Assert.Equal("fc", only.Node.Name);
        Assert.Contains(m.Graph.Nodes, n => n.Name == "conv0" && n.Op is VtaConv2d { Target: ExecutionTarget.Cpu, InputSumFactor: not 0 });

        var inputs = new Dictionary<string, Tensor> { ["x"] = QLinearTestGraphs.RandomInput(5, uint8: true, source.TypeOf("x").Shape) };
        using var device = new SimDevice(VtaConfig.Default);
        Assert.Equal(ReferenceExecutor.Run(source, inputs)["y"].ToInt32Values(), m.Run(device, inputs).Outputs["y"].ToInt32Values());
    }

    /// <summary>The planes' shape (one more channel block for the conv) survives a package.</summary>
    [Fact]
    public void APackageKeepsThePlanesShape()
    {
        Graph source = Net(batch: 1);
        CompiledModel m = ModelCompiler.Compile(source, VtaConfig.Default, new ModelCompileOptions { Requantization = RequantMode.Exact });
        Assert.Contains(m.Program.Steps.OfType<VtaProgramStep>(), s => s.PlanesShape is { } p && p.Channels > s.OutputShape.Channels);
        string file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".vtapkg");
        VtaPackage loaded;
        try
        {
            VtaPackage.FromModel(m, new PackageInfo("uint8", null, DateTimeOffset.UnixEpoch, "tests", "exact", m.Notes)).Save(file);
            loaded = VtaPackage.Load(file);
        }
        finally
        {
            File.Delete(file);
        }

        var inputs = new Dictionary<string, Tensor> { ["x"] = QLinearTestGraphs.RandomInput(4, uint8: true, source.TypeOf("x").Shape) };
        using var device = new SimDevice(VtaConfig.Default);
        using var bound = new BoundProgram(loaded.Program, loaded.Graph, device);
        Assert.Equal(ReferenceExecutor.Run(source, inputs)["y"].ToInt32Values(), bound.Run(inputs).Outputs["y"].ToInt32Values());
    }

    /// <summary>A package whose planes fields are damaged is refused, naming the file and what is wrong.</summary>
    [Theory]
    [InlineData("planes", "9", "9 output planes")]
    [InlineData("planes_offset", "-5", "outside the activation space")]
    [InlineData("planes_shape.channels", "16", "do not hold the output")]
    public void ADamagedPlanesFieldIsRefused(string field, string value, string expected)
    {
        CompiledModel m = ModelCompiler.Compile(Net(batch: 1), VtaConfig.Default, new ModelCompileOptions { Requantization = RequantMode.Exact });
        string file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".vtapkg");
        try
        {
            VtaPackage.FromModel(m, new PackageInfo("uint8", null, DateTimeOffset.UnixEpoch, "tests", "exact", m.Notes)).Save(file);
            using (ZipArchive zip = ZipFile.Open(file, ZipArchiveMode.Update))
            {
                ZipArchiveEntry entry = zip.GetEntry("manifest.json")!;
                JsonNode manifest;
                using (Stream r = entry.Open())
                {
                    manifest = JsonNode.Parse(r)!;
                }

                JsonNode step = manifest["program"]!["steps"]!.AsArray().First(s => s!["planes_shape"] is JsonObject)!;
                string[] path = field.Split('.');
                JsonNode parent = path.Length == 1 ? step : step[path[0]]!;
                parent[path[^1]] = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                entry.Delete();
                using Stream w = zip.CreateEntry("manifest.json").Open();
                using var writer = new System.Text.Json.Utf8JsonWriter(w);
                manifest.WriteTo(writer);
            }

            var e = Assert.Throws<PackageFormatException>(() => VtaPackage.Load(file));
            Assert.Contains(Path.GetFileName(file), e.Message, StringComparison.Ordinal);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>x uint8 [N, 32, 6, 6] → conv 3×3 (uint8 weights, zero point 40) → pool → reshape → matmul [32, 20] (uint8 weights, zero point 200).</summary>
    private static Graph Net(int batch)
    {
        var random = new Random(21);
        GraphBuilder b = new("uint8-weights");
        b.AddInput("x", new TensorType(DataType.UInt8, new Shape(batch, 32, 6, 6), Quantization.PerTensor(0.05f, 120)));
        b.AddConstant("w0", Tensor.FromArray(new Shape(32, 32, 3, 3), UInt8Weights(random, 32 * 32 * 9), Quantization.PerTensor(0.004f, 40)));
        b.AddConstant("b0", Tensor.FromArray(new Shape(32), Enumerable.Range(0, 32).Select(_ => random.Next(-5000, 5000)).ToArray()));
        b.AddNode("conv0", new QLinearConv2d(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One, 1, DataType.UInt8), ["x", "w0", "b0"], "c0",
            Quantization.PerTensor(0.05f * 0.004f * 96 * 80 / 30, 130));
        b.AddNode("pool", new QLinearGlobalAvgPool(DataType.UInt8), ["c0"], "p", Quantization.PerTensor(0.05f * 0.004f * 96 * 80 / 30 / 3, 128));
        b.AddNode("reshape", new Reshape(new Shape(batch, 32)), ["p"], "r");
        b.AddConstant("w1", Tensor.FromArray(new Shape(32, 20), UInt8Weights(random, 32 * 20), Quantization.PerTensor(0.004f, 200)));
        b.AddNode("fc", new QLinearMatMul(DataType.UInt8), ["r", "w1"], "y", Quantization.PerTensor(0.05f * 0.004f * 96 * 80 / 30 / 3 * 0.004f * 80 * 6 / 30, 100));
        b.AddOutput("y");
        return b.Build();
    }

    /// <summary>Bytes over the whole uint8 range, so with a zero point far from 128 some w − zw leave int8.</summary>
    private static byte[] UInt8Weights(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => (byte)random.Next(256))];
}
