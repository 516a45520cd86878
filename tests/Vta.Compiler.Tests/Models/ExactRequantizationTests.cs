using Microsoft.ML.OnnxRuntime;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Compiler.Programs;
using Vta.Frontend.Images;
using Vta.Frontend.Onnx;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Xunit.Abstractions;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// The exact form (<see cref="ModelCompileOptions.ExactRequantization"/>): VTA runs the model's own weights and stores its
/// int32 sums as byte planes; the host applies the model's own requantization. The output must be the model's own,
/// bit for bit (ONNX Runtime's for ONNX, TFLite's integer kernels for TFLite), and every VTA layer must equal the plain
/// executor, on configurations with other block sizes and batch too.
/// </summary>
public class ExactRequantizationTests(ITestOutputHelper output)
{
    private static readonly ModelCompileOptions Exact = new() { Requantization = RequantMode.Exact };

    public static TheoryData<string, int, int> Configs => new()
    {
        { SharedModels.ResNet8, 0, 4 },
        { SharedModels.ResNet8, 1, 5 },
        { SharedModels.ResNet8, 1, 4 },
        { SharedModels.MobileNetV2, 0, 4 },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void TfliteModelsGiveTheModelsOwnOutputBitForBit(string model, int logBatch, int logBlock)
    {
        VtaConfig config = VtaConfig.Create(logBatch: logBatch, logBlock: logBlock);
        (string input, string golden) = model == SharedModels.ResNet8
            ? ("ic_resnet8_chelsea32.in.s8", "ic_resnet8_chelsea32.out.s8")
            : ("mnv2q_resized_cat.in.u8", "mnv2q_resized_cat.out.u8");
        var c = new ModelCase(model, input, golden, config, Exact);
        output.WriteLine($"{model} on {config.Name}: {c.Compiled.VtaLayers.Count} VTA layers, planes {string.Join(",", c.Compiled.VtaLayers.Select(l => l.Planes))}; "
            + $"{c.Compiled.Notes.Count} notes; counters {c.Vta.Counters}");
        foreach (string note in c.Compiled.Notes.Take(3))
        {
            output.WriteLine("  " + note);
        }

        Assert.NotEmpty(c.Compiled.VtaLayers);
        Assert.All(c.Compiled.VtaLayers, l => Assert.InRange(l.Planes, 2, 4));
        Assert.Empty(c.MismatchingLayers());
        Assert.Equal(c.Original.ToInt32Values(), c.VtaOutput.ToInt32Values());
        // Every conv and the dense take the exact form: ResNet-8's int8 weights as they are, MobileNetV2's uint8 weights as
        // w − 128 with an input-sum channel where w − zw leaves int8.
        Assert.Empty(c.Compiled.Notes);
        if (model == SharedModels.MobileNetV2)
        {
            Assert.Contains(c.Compiled.VtaLayers, l => l.InputSumFactor != 0);
            Assert.Contains(c.Compiled.VtaLayers, l => l.Sums.Channels > l.Output.Channels);
        }
    }

    [Fact]
    public void OnnxMobileNetV2EqualsOnnxRuntimeOnEveryPhotoAndTheResizedCatTieGoesToTabby()
    {
        string path = SharedModels.PathOf("imagenet/mobilenetv2-12-int8.onnx");
        Graph source = OnnxImporter.ImportFile(path);
        CompiledModel m = ModelCompiler.Compile(source, VtaConfig.Default, Exact);
        Assert.Empty(m.Notes);
        // The first conv, 34 pointwise convs and the classifier's matmul (its bias add stays a CPU node: it rounds once more).
        Assert.Equal(36, m.VtaLayers.Count);
        Assert.Contains(m.Graph.Nodes, n => n.Op is QLinearAdd && n.Name == "Gemm_104_Add_quant");

        using var device = new SimDevice(m.Config);
        using var session = OrtSession(path);
        foreach (string image in new[] { "images/resized_cat.bmp", "images/chelsea.png", "images/cat.bmp" })
        {
            float[] pixels = Preprocess.ImageNetFloatNchw(224).Apply(ImageDecoder.Load(SharedModels.PathOf(image))).ToFloat32();
            var inputs = new Dictionary<string, Tensor> { [source.Inputs[0]] = Tensor.FromArray(new Shape(1, 3, 224, 224), pixels) };
            ModelRunResult run = m.Run(device, inputs, new ModelRunOptions { KeepValues = true });
            float[] vta = run.Outputs[source.Outputs[0]].As<float>();
            float[] ort = RunOrt(session, source.Inputs[0], pixels);
            Dictionary<string, Tensor> plain = ReferenceExecutor.RunAll(m.Graph, inputs);
            Assert.All(m.VtaLayers, l => Assert.Equal(plain[l.Node.Output].As<sbyte>(), run.Values![l.Node.Output].As<sbyte>()));
            output.WriteLine($"{image}: top-1 VTA {OutputComparison.TopIndices(vta, 1)[0]}, ORT {OutputComparison.TopIndices(ort, 1)[0]}; counters {run.Counters}");
            Assert.Equal(ort, vta);
            if (image == "images/resized_cat.bmp")
            {
                Assert.Equal(281, OutputComparison.TopIndices(vta, 1)[0]);
            }
        }
    }

    [Fact]
    public void AnExactPackageRoundTripsAndRunsTheSame()
    {
        var c = new ModelCase(SharedModels.ResNet8, "ic_resnet8_chelsea32.in.s8", "ic_resnet8_chelsea32.out.s8", VtaConfig.Default, Exact);
        string file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".vtapkg");
        VtaPackage loaded;
        try
        {
            VtaPackage.FromModel(c.Compiled, new PackageInfo("resnet8", null, DateTimeOffset.UnixEpoch, "tests", "exact", c.Compiled.Notes)).Save(file);
            loaded = VtaPackage.Load(file);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Contains(loaded.Program.Steps.OfType<VtaProgramStep>(), s => s.Planes > 1);
        using var device = new SimDevice(VtaConfig.Default);
        using var bound = new BoundProgram(loaded.Program, loaded.Graph, device);
        Assert.Equal(c.Original.ToInt32Values(), bound.Run(c.Inputs).Outputs[c.Source.Outputs[0]].ToInt32Values());
    }

    /// <summary>A layer whose sums fit one byte (zero weights, a small bias) still stores two planes and is finished on the host.</summary>
    [Fact]
    public void SumsThatFitOneByteStillTakeTwoPlanes()
    {
        GraphBuilder b = new("zero-weights");
        b.AddInput("x", new TensorType(DataType.Int8, new Shape(1, 16, 4, 4), Quantization.PerTensor(0.05f, -3)));
        b.AddConstant("w", Tensor.FromArray(new Shape(16, 16, 1, 1), new sbyte[256], Quantization.PerTensor(0.01f, 0)));
        b.AddConstant("b", Tensor.FromArray(new Shape(16), Enumerable.Range(0, 16).Select(i => (i * 13) - 100).ToArray()));
        b.AddNode("conv", new QLinearConv2d(Size2d.One, Pads2d.Zero, Size2d.One, 1, DataType.Int8), ["x", "w", "b"], "y", Quantization.PerTensor(0.002f, 4));
        b.AddOutput("y");
        Graph source = b.Build();
        CompiledModel m = ModelCompiler.Compile(source, VtaConfig.Default, Exact);
        Assert.Equal(2, Assert.Single(m.VtaLayers).Planes);

        var inputs = new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(new Shape(1, 16, 4, 4), Enumerable.Range(0, 256).Select(i => (sbyte)(i - 128)).ToArray()) };
        using var device = new SimDevice(VtaConfig.Default);
        int[] own = ReferenceExecutor.Run(source, inputs)["y"].ToInt32Values();
        Assert.Equal(own, m.Run(device, inputs).Outputs["y"].ToInt32Values());
        Assert.True(own.Distinct().Count() > 8, "the bias gives the channels different outputs");
    }

    private static InferenceSession OrtSession(string path)
    {
        using var options = new SessionOptions();
        options.AddSessionConfigEntry("session.x64quantprecision", "1");
        return new InferenceSession(path, options);
    }

    private static float[] RunOrt(InferenceSession session, string input, float[] pixels)
    {
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, 224, 224]);
        using var run = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(run, [input], [value], [session.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
