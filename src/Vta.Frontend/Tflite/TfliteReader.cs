using Google.FlatBuffers;

namespace Vta.Frontend.Tflite;

/// <summary>
/// Parses the bytes of a .tflite flatbuffer into a <see cref="TfliteModel"/>, checking every offset, length and
/// index. Errors are <see cref="ModelFormatException"/>s naming the file and the table being read.
/// </summary>
public static class TfliteReader
{
    public static TfliteModel ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException(path, "file not found");
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ModelFormatException(path, $"cannot read the file: {e.Message}", e);
        }
        return Read(bytes, path);
    }

    public static TfliteModel Read(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string context = "file header";
        try
        {
            if (bytes.Length < 8)
            {
                throw new FlatBufferFormatException($"only {bytes.Length} bytes, too short for a TFLite model");
            }
            ByteBuffer buffer = new(bytes);
            FlatTable root = FlatTable.Root(buffer, TfliteSchema.FileIdentifier);
            context = "model table";
            uint version = root.GetUInt(TfliteSchema.Model.Version);
            string? description = root.GetString(TfliteSchema.Model.Description);

            context = "buffers";
            List<ReadOnlyMemory<byte>> buffers = [];
            foreach (FlatTable b in root.GetTableVector(TfliteSchema.Model.Buffers))
            {
                context = $"buffer {buffers.Count}";
                buffers.Add(ReadBuffer(b, bytes));
            }

            context = "operator codes";
            List<TfliteOperatorCode> codes = [];
            foreach (FlatTable c in root.GetTableVector(TfliteSchema.Model.OperatorCodes))
            {
                // Old files only set the 8-bit deprecated code; new ones set both (the larger one counts).
                int deprecated = (sbyte)c.GetByte(TfliteSchema.OperatorCode.DeprecatedBuiltinCode);
                int builtin = c.GetInt(TfliteSchema.OperatorCode.BuiltinCode);
                codes.Add(new TfliteOperatorCode(Math.Max(deprecated, builtin), c.GetString(TfliteSchema.OperatorCode.CustomCode),
                    c.GetInt(TfliteSchema.OperatorCode.Version, 1)));
            }

            List<TfliteSubgraph> subgraphs = [];
            FlatTable[] subgraphTables = root.GetTableVector(TfliteSchema.Model.Subgraphs);
            for (int s = 0; s < subgraphTables.Length; s++)
            {
                context = $"subgraph {s}";
                subgraphs.Add(ReadSubgraph(subgraphTables[s], codes, buffers.Count, ref context));
            }
            if (subgraphs.Count == 0)
            {
                throw new FlatBufferFormatException("the model has no subgraph");
            }
            return new TfliteModel(source, version, description, codes, subgraphs, buffers);
        }
        catch (Exception e) when (e is FlatBufferFormatException or ArgumentOutOfRangeException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new ModelFormatException(source, $"corrupt or truncated TFLite file ({context}): {e.Message}", e);
        }
    }

    private static ReadOnlyMemory<byte> ReadBuffer(FlatTable table, byte[] bytes)
    {
        if (table.GetByteVectorRange(TfliteSchema.Buffer.Data) is (int start, int length))
        {
            return bytes.AsMemory(start, length);
        }
        // Models over 2 GB keep data after the flatbuffer, addressed by offset and size from the file start.
        ulong offset = table.GetULong(TfliteSchema.Buffer.Offset);
        ulong size = table.GetULong(TfliteSchema.Buffer.Size);
        if (offset > 1)
        {
            if (offset + size > (ulong)bytes.Length)
            {
                throw new FlatBufferFormatException($"external data at {offset} ({size} bytes) lies past the end ({bytes.Length} bytes)");
            }
            return bytes.AsMemory((int)offset, (int)size);
        }
        return ReadOnlyMemory<byte>.Empty;
    }

    private static TfliteSubgraph ReadSubgraph(FlatTable table, IReadOnlyList<TfliteOperatorCode> codes, int bufferCount, ref string context)
    {
        string baseContext = context;
        FlatTable[] tensorTables = table.GetTableVector(TfliteSchema.SubGraph.Tensors);
        List<TfliteTensor> tensors = [];
        for (int i = 0; i < tensorTables.Length; i++)
        {
            context = $"{baseContext}, tensor {i}";
            tensors.Add(ReadTensor(tensorTables[i], i, bufferCount));
        }
        context = $"{baseContext}, inputs and outputs";
        int[] inputs = CheckIndices(table.GetIntVector(TfliteSchema.SubGraph.Inputs) ?? [], tensors.Count, "subgraph input", allowAbsent: false);
        int[] outputs = CheckIndices(table.GetIntVector(TfliteSchema.SubGraph.Outputs) ?? [], tensors.Count, "subgraph output", allowAbsent: false);
        FlatTable[] operatorTables = table.GetTableVector(TfliteSchema.SubGraph.Operators);
        List<TfliteOperator> operators = [];
        for (int i = 0; i < operatorTables.Length; i++)
        {
            context = $"{baseContext}, operator {i}";
            FlatTable op = operatorTables[i];
            uint codeIndex = op.GetUInt(TfliteSchema.Operator.OpcodeIndex);
            if (codeIndex >= codes.Count)
            {
                throw new FlatBufferFormatException($"opcode index {codeIndex} is outside the {codes.Count} operator codes");
            }
            int[] opInputs = CheckIndices(op.GetIntVector(TfliteSchema.Operator.Inputs) ?? [], tensors.Count, "input", allowAbsent: true);
            int[] opOutputs = CheckIndices(op.GetIntVector(TfliteSchema.Operator.Outputs) ?? [], tensors.Count, "output", allowAbsent: false);
            operators.Add(new TfliteOperator(i, codes[(int)codeIndex], opInputs, opOutputs,
                new TfliteOptions(op.GetTable(TfliteSchema.Operator.BuiltinOptions))));
        }
        context = baseContext;
        return new TfliteSubgraph(table.GetString(TfliteSchema.SubGraph.Name) ?? string.Empty, tensors, inputs, outputs, operators);
    }

    private static TfliteTensor ReadTensor(FlatTable t, int index, int bufferCount)
    {
        int[] shape = t.GetIntVector(TfliteSchema.Tensor.Shape) ?? [];
        if (shape.Any(d => d < 0))
        {
            throw new FlatBufferFormatException($"shape [{string.Join(",", shape)}] has a negative dimension");
        }
        int type = t.GetByte(TfliteSchema.Tensor.Type);
        if (!Enum.IsDefined((TfliteTensorType)type))
        {
            throw new FlatBufferFormatException($"unknown tensor type {type}");
        }
        uint buffer = t.GetUInt(TfliteSchema.Tensor.Buffer);
        if (buffer >= bufferCount && buffer != 0)
        {
            throw new FlatBufferFormatException($"buffer index {buffer} is outside the {bufferCount} buffers");
        }
        TfliteQuantization? quant = null;
        if (t.GetTable(TfliteSchema.Tensor.Quantization) is FlatTable q)
        {
            float[] scales = q.GetFloatVector(TfliteSchema.QuantizationParameters.Scale) ?? [];
            long[] zeroPoints = q.GetLongVector(TfliteSchema.QuantizationParameters.ZeroPoint) ?? [];
            if (scales.Length > 0)
            {
                quant = new TfliteQuantization(scales, zeroPoints, q.GetInt(TfliteSchema.QuantizationParameters.QuantizedDimension));
            }
        }
        return new TfliteTensor(index, t.GetString(TfliteSchema.Tensor.Name) ?? string.Empty, (TfliteTensorType)type, shape, buffer, quant);
    }

    private static int[] CheckIndices(int[] indices, int tensorCount, string what, bool allowAbsent)
    {
        foreach (int i in indices)
        {
            if (i >= tensorCount || i < (allowAbsent ? -1 : 0))
            {
                throw new FlatBufferFormatException($"{what} tensor index {i} is outside the {tensorCount} tensors");
            }
        }
        return indices;
    }
}
