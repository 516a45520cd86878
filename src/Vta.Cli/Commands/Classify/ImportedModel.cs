using System.Diagnostics;
using Vta.Compiler.Graphs;
using Vta.Frontend;
using Vta.Frontend.Labels;

namespace Vta.Cli.Commands.Classify;

/// <summary>A model imported with what classify needs to feed and read it: its input, its output and its labels.</summary>
internal sealed record ImportedModel(string Path, Graph Graph, ModelInput Input, ModelOutput Output, LabelSet? Labels, string? LabelsPath, double ImportSeconds)
{
    /// <summary>Imports a .onnx or .tflite file (as given or in the models folder) or a zoo:NAME model.</summary>
    public static ImportedModel Import(string model, string? labelsOption, ModelFiles files)
    {
        var clock = Stopwatch.StartNew();
        string path = files.LocateModel(model);
        Graph graph = ModelLoader.Load(path);
        ModelInput input = ModelInput.For(graph, path);
        ModelOutput output = ModelOutput.For(graph, path);
        (LabelSet? labels, string? labelsPath) = ClassifyLabels.For(output.Classes, input.Kind, labelsOption, files);
        return new ImportedModel(path, graph, input, output, labels, labelsPath, clock.Elapsed.TotalSeconds);
    }
}
