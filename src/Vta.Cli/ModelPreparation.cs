using Vta.Cli.Commands.Classify;
using Vta.Compiler.Graphs;
using Vta.Compiler.Quant;
using Vta.Frontend.Npz;

namespace Vta.Cli;

/// <summary>
/// The step between import and compile that every model command shares: a float model (zoo:resnet18, a float ONNX file)
/// is quantized for VTA (TVM's scheme unless --quantize says otherwise, calibrated from --calibration files); a
/// pre-quantized model goes through as it is.
/// </summary>
internal static class ModelPreparation
{
    public const string DefaultScheme = "tvm";

    /// <summary>The graph to compile and the quantization applied (null for a pre-quantized model).</summary>
    public static (Graph Graph, string? Quantization) Prepare(Graph graph, string model, string? quantize, string? calibration, TextWriter diagnostics)
    {
        bool isFloat = NeedsQuantization(graph);
        if (!isFloat)
        {
            if (quantize is not null)
            {
                throw new FormatException($"{model} is already quantized; --quantize applies to float models");
            }

            return (graph, null);
        }

        string spec = quantize ?? DefaultScheme;
        QuantizeOptions options = QuantizeOptions.Parse(spec);
        if (options.NeedsCalibration && calibration is null)
        {
            throw new FormatException($"--quantize {spec} calibrates activation scales: give --calibration (an .npz, an image, or a folder of them)");
        }

        if (calibration is not null)
        {
            options = options with { Calibration = LoadCalibration(graph, model, calibration) };
        }

        QuantizedModel q = FloatQuantizer.Quantize(graph, options);
        diagnostics.WriteLine($"vta: note: {model} is a float model: quantized with '{spec}'"
            + (calibration is null ? string.Empty : $", calibrated on {options.Calibration.Count} sample(s) from {calibration}"));
        return (q.Graph, spec);
    }

    /// <summary>A float model (as the quantizer defines it) with some conv or dense to put on VTA.</summary>
    public static bool NeedsQuantization(Graph graph) =>
        FloatQuantizer.IsFloatGraph(graph, out _) && graph.Nodes.Any(n => n.Op is Conv2d or Dense);

    /// <summary>Samples from an .npz (arrays named as the inputs), an image or WAV file, or every such file in a folder.</summary>
    private static List<IReadOnlyDictionary<string, Tensor>> LoadCalibration(Graph graph, string model, string path)
    {
        string[] files = Directory.Exists(path)
            ? [.. Directory.EnumerateFiles(path).Where(IsSample).OrderBy(f => f, StringComparer.Ordinal)]
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"calibration data '{path}' does not exist", path);
        if (files.Length == 0)
        {
            throw new FormatException($"{path}: no .npz, image or .wav files to calibrate with");
        }

        var samples = new List<IReadOnlyDictionary<string, Tensor>>();
        foreach (string file in files)
        {
            if (file.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            {
                IReadOnlyList<NpyArray> arrays = NpzFile.Load(file);
                samples.Add(graph.Inputs.ToDictionary(i => i, i => NpzTensors.ToTensor(
                    arrays.FirstOrDefault(a => a.Name == i) ?? throw new NpyFormatException(file, $"no array named '{i}' (the model's input)"), graph.TypeOf(i), file)));
            }
            else
            {
                ModelInput input = ModelInput.For(graph, model);
                samples.Add(new Dictionary<string, Tensor> { [input.Name] = input.Load(file, model) });
            }
        }

        return samples;
    }

    private static bool IsSample(string file) =>
        file.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)
        || ModelInput.ImageExtensions.Concat(ModelInput.AudioExtensions).Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
