using System.Diagnostics;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Frontend.Labels;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Cli.Commands.Classify;

/// <summary>What one input through a <see cref="ClassifyModel"/> gave.</summary>
internal sealed record ClassifyOutcome(
    string InputPath,
    IReadOnlyList<Prediction> Top,
    ModelRunResult Run,
    ReferenceComparison Reference,
    IReadOnlyDictionary<string, double> Seconds);

/// <summary>
/// A model imported (.onnx, .tflite or zoo:NAME), its input and output read, labels found and compiled for VTA once;
/// then any number of inputs classified on a device, each checked against the model's reference: ONNX Runtime on the
/// original file for ONNX models, a golden output for a TFLite model whose input matches one, else the reference
/// executor on the imported graph (the model's own integer arithmetic, on the CPU).
/// </summary>
internal sealed class ClassifyModel : IDisposable
{
    private readonly ModelFiles _files;
    private OrtReference? _ort;

    private ClassifyModel(ImportedModel imported, CompiledModel compiled, ModelFiles files, double compileSeconds)
    {
        ModelPath = imported.Path;
        Graph = imported.Graph;
        Input = imported.Input;
        Output = imported.Output;
        Labels = imported.Labels;
        LabelsPath = imported.LabelsPath;
        ImportSeconds = imported.ImportSeconds;
        Compiled = compiled;
        _files = files;
        CompileSeconds = compileSeconds;
    }

    /// <summary>The model file (full path) or zoo:NAME.</summary>
    public string ModelPath { get; }

    public Graph Graph { get; }

    public ModelInput Input { get; }

    public ModelOutput Output { get; }

    public LabelSet? Labels { get; }

    public string? LabelsPath { get; }

    public CompiledModel Compiled { get; }

    public double ImportSeconds { get; }

    public double CompileSeconds { get; }

    public bool IsOnnx => ModelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public static ClassifyModel Compile(ImportedModel imported, ModelFiles files, VtaConfig config, IReadOnlyCollection<string> cpuNodes, string? requant = null)
    {
        var clock = Stopwatch.StartNew();
        // A float model (zoo:resnet18) is quantized with TVM's scheme first; its reference stays the float graph.
        (Graph graph, string? quantization) = ModelPreparation.Prepare(imported.Graph, imported.Path, null, null, TextWriter.Null);
        var options = new ModelCompileOptions { ForceCpu = cpuNodes, Requantization = CliOptions.RequantModeOf(requant, quantizedHere: quantization is not null) };
        CompiledModel compiled = ModelCompiler.Compile(graph, config, options);
        return new ClassifyModel(imported, compiled, files, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Reads <paramref name="inputPath"/>, runs it on <paramref name="device"/> and on the reference, and ranks the top <paramref name="topK"/>.</summary>
    public ClassifyOutcome Classify(string inputPath, IVtaDevice device, int topK, ModelRunOptions? options = null)
    {
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        Tensor input = Input.Load(inputPath, ModelPath);
        var inputs = new Dictionary<string, Tensor> { [Input.Name] = input };
        seconds["input"] = Lap(clock);

        ModelRunResult run = Compiled.Run(device, inputs, options);
        seconds["run"] = Lap(clock);
        seconds["vta"] = run.VtaSeconds;
        seconds["cpu"] = run.CpuSeconds;

        Tensor ours = run.Outputs[Output.Name];
        ReferenceOutput reference = Reference(input, inputs, ours.Type);
        seconds["reference"] = Lap(clock);

        IReadOnlyList<Prediction> top = TopK.Select(Output.Scores(ours), Labels, topK);
        return new ClassifyOutcome(inputPath, top, run, ReferenceComparison.Compare(reference, ours, Output, Labels), seconds);
    }

    public void Dispose() => _ort?.Dispose();

    private ReferenceOutput Reference(Tensor input, Dictionary<string, Tensor> inputs, TensorType outputType)
    {
        if (IsOnnx)
        {
            _ort ??= new OrtReference(ModelPath);
            ReferenceOutput ort = _ort.Run(Input.Name, input);
            // ORT's tensors carry no quantization; a quantized output means the same step as ours.
            return ort.Output.Quant is null && outputType.Quant is not null ? ort with { Output = ort.Output.WithQuant(outputType.Quant) } : ort;
        }

        return GoldenVectors.Find(ModelPath, input, outputType, _files)
            ?? new ReferenceOutput("reference executor", ReferenceExecutor.Run(Graph, inputs)[Output.Name]);
    }

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}
