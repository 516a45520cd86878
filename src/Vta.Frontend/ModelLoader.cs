using Vta.Compiler.Graphs;
using Vta.Compiler.ModelZoo;
using Vta.Frontend.Onnx;
using Vta.Frontend.Tflite;

namespace Vta.Frontend;

/// <summary>
/// The one entry for a model argument: <c>zoo:NAME</c> (a built-in <see cref="Zoo"/> model, seed 0), a
/// <c>.onnx</c> file or a <c>.tflite</c> file. Every failure is a <see cref="ModelFormatException"/> naming the argument.
/// </summary>
public static class ModelLoader
{
    public static Graph Load(string pathOrZooName, OnnxImportOptions? onnxOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrZooName);
        if (Zoo.IsZooName(pathOrZooName))
        {
            try
            {
                return Zoo.Build(pathOrZooName);
            }
            catch (ArgumentException e)
            {
                throw new ModelFormatException(pathOrZooName, e.Message, e);
            }
        }
        string extension = Path.GetExtension(pathOrZooName).ToLowerInvariant();
        return extension switch
        {
            ".onnx" => OnnxImporter.ImportFile(pathOrZooName, onnxOptions),
            ".tflite" => TfliteImporter.ImportFile(pathOrZooName),
            _ => throw new ModelFormatException(pathOrZooName,
                $"unknown model format '{extension}': expected a .onnx or .tflite file, or one of {string.Join(", ", Zoo.Names.Select(n => Zoo.Prefix + n))}"),
        };
    }
}
