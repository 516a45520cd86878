using Vta.Compiler.Graphs;

namespace Vta.Frontend.Tflite;

/// <summary>
/// Imports a .tflite model (its first subgraph) as a <see cref="Graph"/>. Layout stays NHWC (ops carry it
/// explicitly); quantized tensors keep their scale and zero point (per tensor or per channel). Inferred shapes
/// are checked against the shapes stored in the file. Errors are <see cref="ModelFormatException"/>s naming the
/// file and, for operators, the operator index and name.
/// </summary>
public static class TfliteImporter
{
    public static Graph ImportFile(string path) => Import(TfliteReader.ReadFile(path));

    public static Graph Import(byte[] bytes, string source) => Import(TfliteReader.Read(bytes, source));

    public static Graph Import(TfliteModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new TfliteGraphConverter(model).Convert();
    }
}
