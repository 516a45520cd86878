namespace Vta.Frontend.Tflite;

/// <summary>TFLite TensorType enum values.</summary>
public enum TfliteTensorType
{
    Float32 = 0,
    Float16 = 1,
    Int32 = 2,
    UInt8 = 3,
    Int64 = 4,
    String = 5,
    Bool = 6,
    Int16 = 7,
    Complex64 = 8,
    Int8 = 9,
    Float64 = 10,
}

/// <summary>Affine quantization of a TFLite tensor (scale and zero point per tensor, or per channel of QuantizedDimension).</summary>
public sealed record TfliteQuantization(float[] Scales, long[] ZeroPoints, int QuantizedDimension);

/// <summary>One tensor of a subgraph as stored in the file. <see cref="Buffer"/> 0 means no data (not a constant).</summary>
public sealed record TfliteTensor(int Index, string Name, TfliteTensorType Type, int[] Shape, uint Buffer, TfliteQuantization? Quantization);

/// <summary>An entry of the model's operator code table.</summary>
public sealed record TfliteOperatorCode(int BuiltinCode, string? CustomCode, int Version)
{
    public string Name => CustomCode is { } custom ? $"CUSTOM({custom})" : TfliteBuiltinOperator.Name(BuiltinCode);
}

/// <summary>One operator: its code, input and output tensor indices (-1 = absent optional input) and builtin options.</summary>
public sealed record TfliteOperator(int Index, TfliteOperatorCode Code, int[] Inputs, int[] Outputs, TfliteOptions Options);

public sealed record TfliteSubgraph(string Name, IReadOnlyList<TfliteTensor> Tensors, int[] Inputs, int[] Outputs, IReadOnlyList<TfliteOperator> Operators);

/// <summary>A parsed .tflite file: operator codes, subgraphs and constant buffers. Read with <see cref="TfliteReader"/>.</summary>
public sealed class TfliteModel
{
    public TfliteModel(string source, uint version, string? description, IReadOnlyList<TfliteOperatorCode> operatorCodes,
        IReadOnlyList<TfliteSubgraph> subgraphs, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        Source = source;
        Version = version;
        Description = description;
        OperatorCodes = operatorCodes;
        Subgraphs = subgraphs;
        Buffers = buffers;
    }

    /// <summary>The file path (or name) the model was read from, for messages.</summary>
    public string Source { get; }

    public uint Version { get; }

    public string? Description { get; }

    public IReadOnlyList<TfliteOperatorCode> OperatorCodes { get; }

    public IReadOnlyList<TfliteSubgraph> Subgraphs { get; }

    /// <summary>Raw little-endian buffer contents by index; entry 0 is the empty sentinel.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Buffers { get; }
}

/// <summary>The builtin options table of an operator, read by field id (absent fields give the schema default).</summary>
public sealed class TfliteOptions
{
    private readonly FlatTable? _table;

    internal TfliteOptions(FlatTable? table)
    {
        _table = table;
    }

    public bool IsPresent => _table is not null;

    public int GetInt(int fieldId, int defaultValue = 0) => _table?.GetInt(fieldId, defaultValue) ?? defaultValue;

    public byte GetByte(int fieldId, byte defaultValue = 0) => _table?.GetByte(fieldId, defaultValue) ?? defaultValue;

    public bool GetBool(int fieldId, bool defaultValue = false) => _table?.GetBool(fieldId, defaultValue) ?? defaultValue;

    public float GetFloat(int fieldId, float defaultValue = 0) => _table?.GetFloat(fieldId, defaultValue) ?? defaultValue;

    public int[]? GetIntVector(int fieldId) => _table?.GetIntVector(fieldId);
}
