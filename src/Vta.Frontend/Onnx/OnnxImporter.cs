using Google.Protobuf;
using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx.Proto;

namespace Vta.Frontend.Onnx;

/// <summary>Options for <see cref="OnnxImporter"/>.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>
    /// The batch size given to every graph input's first dimension. Null keeps the model's own and turns a
    /// symbolic batch dimension (e.g. 'batch_size') into 1.
    /// </summary>
    public int? BatchSize { get; init; }
}

/// <summary>
/// Imports an ONNX model (opset 7 and later) as a static-shaped <see cref="Graph"/>: NCHW float operators map to
/// the IR's ops, the quantized ones (QuantizeLinear, QLinearConv, QLinearMatMul, com.microsoft QLinearAdd and
/// QLinearGlobalAveragePool) to <see cref="QLinearOp"/>s with ONNX Runtime's arithmetic, and shape computations
/// (Shape, Gather, Unsqueeze, Concat, ... on constants) are folded at import. Value names are the model's.
/// Every error is a <see cref="ModelFormatException"/> naming the file and, for operators, the op type and node.
/// </summary>
public static class OnnxImporter
{
    public static Graph ImportFile(string path, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ModelFormatException(path, "file not found");
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, $"cannot read the file: {e.Message}", e);
        }
        return Import(bytes, path, options);
    }

    public static Graph Import(byte[] bytes, string source, OnnxImportOptions? options = null) =>
        Import(Parse(bytes, source), source, options);

    public static Graph Import(ModelProto model, string source, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        if (options?.BatchSize is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "batch size must be positive");
        }
        return new OnnxGraphConverter(model, source, options ?? new OnnxImportOptions()).Convert();
    }

    /// <summary>Parses the protobuf bytes of a model; truncated or corrupt bytes give a <see cref="ModelFormatException"/>.</summary>
    public static ModelProto Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new ModelFormatException(source, "the file is empty");
        }
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException(source, $"corrupt or truncated ONNX file (protobuf: {e.Message})", e);
        }
        // Bytes that happen to decode (protobuf skips unknown fields) but are not a model lack these.
        if (model.Graph is null || !model.HasIrVersion)
        {
            throw new ModelFormatException(source, "not an ONNX model: no graph or IR version (corrupt, truncated or another format)");
        }
        return model;
    }
}
