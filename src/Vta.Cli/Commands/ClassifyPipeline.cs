using System.Diagnostics;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Frontend;
using Vta.Frontend.Images;
using Vta.Frontend.Labels;
using Vta.Frontend.Tflite;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Vta.Sim.Timing;

namespace Vta.Cli.Commands;

/// <summary>What <c>vta classify</c> was asked to do; null files take the defaults from the models folder.</summary>
internal sealed record ClassifyRequest(string? Model, string? Image, string? Labels, string? ModelsFolder, int TopK, VtaConfig Config, string? Device,
    IReadOnlyList<string> CpuNodes);

/// <summary>What <c>vta classify</c> found, with the figures it reports.</summary>
internal sealed record ClassifyResult(
    string ModelPath,
    string ImagePath,
    string? LabelsPath,
    TensorType InputType,
    Preprocess Preprocess,
    IReadOnlyList<Prediction> Top,
    CompiledModel Model,
    ModelRunResult Run,
    OutputComparison Reference,
    Prediction ReferenceTop1,
    string DeviceName,
    TimingReport? Timing,
    IReadOnlyDictionary<string, double> Seconds);

/// <summary>
/// The classification demo: find the model, image and labels (explicit paths, else the models search path), pick the
/// preprocessing from the model's input, compile for VTA, run on the device, and run the imported graph on the reference
/// executor to see whether the VTA form changed the answer.
/// </summary>
internal static class ClassifyPipeline
{
    public const string DefaultModel = "imagenet/mobilenet_v2_1.0_224_quant.tflite";
    public const string DefaultImage = "images/chelsea.png";

    public static ClassifyResult Run(ClassifyRequest request)
    {
        var search = SearchPaths(request.ModelsFolder);
        string modelPath = Locate(request.Model ?? DefaultModel, search, "model");
        string imagePath = Locate(request.Image ?? DefaultImage, search, "image");
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();

        if (!modelPath.EndsWith(".tflite", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelFormatException(modelPath, "classify takes .tflite models so far (ONNX and zoo: models come with the ONNX importer)");
        }

        Graph graph = TfliteImporter.ImportFile(modelPath);
        TensorType inputType = graph.TypeOf(graph.Inputs[0]);
        Preprocess preprocess = PreprocessFor(inputType, graph.Inputs[0]);
        Tensor input = Tensor.FromBytes(inputType, preprocess.Apply(ImageDecoder.Load(imagePath)).Bytes);
        var inputs = new Dictionary<string, Tensor> { [graph.Inputs[0]] = input };
        int classes = graph.TypeOf(graph.Outputs[0]).Shape.ElementCount;
        (LabelSet? labels, string? labelsPath) = LabelsFor(classes, request.Labels, search);
        seconds["import"] = Lap(clock);

        CompiledModel model = ModelCompiler.Compile(graph, request.Config, new ModelCompileOptions { ForceCpu = request.CpuNodes });
        seconds["compile"] = Lap(clock);

        using IVtaDevice device = DeviceOption.Open(request.Device, request.Config);
        ModelRunResult run = model.Run(device, inputs);
        seconds["run"] = Lap(clock);
        seconds["vta"] = run.VtaSeconds;
        seconds["cpu"] = run.CpuSeconds;
        TimingReport? timing = (device as TimingDevice)?.TotalReport;

        Tensor reference = ReferenceExecutor.Run(graph, inputs)[graph.Outputs[0]];
        seconds["reference"] = Lap(clock);

        Tensor output = run.Outputs[graph.Outputs[0]];
        float[] scores = output.Dequantize();
        float[] referenceScores = reference.Dequantize();
        Prediction referenceTop1 = TopK.Select(referenceScores, labels, 1)[0];
        return new ClassifyResult(modelPath, imagePath, labelsPath, inputType, preprocess, TopK.Select(scores, labels, request.TopK), model, run,
            OutputComparison.Compare(output, reference, Math.Min(5, classes)), referenceTop1, device.Name, timing, seconds);
    }

    /// <summary>Raw RGB bytes for uint8 NHWC inputs (MobileNet: zero point 128), pixel − 128 for int8 ones (ResNet-8).</summary>
    private static Preprocess PreprocessFor(TensorType t, string name)
    {
        bool image = t.Rank == 4 && t.Shape[0] == 1 && t.Shape[3] == 3 && t.Shape[1] == t.Shape[2];
        return (image, t.DType) switch
        {
            (true, DataType.UInt8) => Preprocess.RawRgbNhwcU8(t.Shape[1]),
            (true, DataType.Int8) => Preprocess.Cifar10Int8(t.Shape[1]),
            _ => throw new InvalidDataException($"input '{name}' is {t}: classify feeds photos to [1,S,S,3] uint8 or int8 inputs"),
        };
    }

    /// <summary>The label file for the model's class count (TensorFlow's 1001 with background, ImageNet's 1000, CIFAR-10), or --labels.</summary>
    private static (LabelSet? Labels, string? Path) LabelsFor(int classes, string? option, IReadOnlyList<ModelSearchPath> search)
    {
        if (option is not null)
        {
            string path = Locate(option, search, "labels");
            return (Align(LabelSet.Load(path), classes, path), path);
        }

        string? file = classes switch
        {
            1001 => "imagenet/imagenet_labels.txt",
            1000 => "labels/classification_classes_ILSVRC2012.txt",
            10 => "labels/cifar10_labels.txt",
            _ => null,
        };
        string? found = file is null ? null : TryLocate(file, search);
        if (found is not null)
        {
            return (Align(LabelSet.Load(found), classes, found), found);
        }

        return classes switch
        {
            10 => (LabelSet.Cifar10, null),
            12 => (LabelSet.KeywordSpotting, null),
            _ => (null, null),
        };
    }

    private static LabelSet Align(LabelSet labels, int classes, string path)
    {
        try
        {
            return labels.AlignTo(classes);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>An existing path as given, else the same relative path in a models folder.</summary>
    private static string Locate(string path, IReadOnlyList<ModelSearchPath> search, string what) =>
        TryLocate(path, search) ?? throw new FileNotFoundException(
            $"{what} '{path}' not found (as given, nor in the models folders {string.Join(", ", search.SelectMany(s => s.Candidates).Distinct())})", path);

    private static string? TryLocate(string path, IReadOnlyList<ModelSearchPath> search)
    {
        if (File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        if (Path.IsPathRooted(path))
        {
            return null;
        }

        return search.SelectMany(s => s.Candidates).Where(Directory.Exists).Select(d => Path.Combine(d, path)).FirstOrDefault(File.Exists);
    }

    /// <summary>The search path from the current folder, then from the folder above the tool's build folder (the repository for ./vta).</summary>
    private static IReadOnlyList<ModelSearchPath> SearchPaths(string? option)
    {
        string tool = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)) ?? AppContext.BaseDirectory;
        return [ModelSearchPath.Create(option), ModelSearchPath.Create(option, tool)];
    }

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}
