using System.Runtime.InteropServices;
using Google.Protobuf;
using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx.Proto;
using OnnxType = Vta.Frontend.Onnx.Proto.TensorProto.Types.DataType;

namespace Vta.Frontend.Onnx;

/// <summary>Converts between ONNX TensorProtos / element types and graph <see cref="Tensor"/>s / <see cref="DataType"/>s.</summary>
public static class OnnxTensors
{
    /// <summary>The graph type of an ONNX element type, or null where the IR has none (bool, float16, strings, ...).</summary>
    public static DataType? ToDataType(int onnxType) => (OnnxType)onnxType switch
    {
        OnnxType.Float => DataType.Float32,
        OnnxType.Uint8 => DataType.UInt8,
        OnnxType.Int8 => DataType.Int8,
        OnnxType.Int16 => DataType.Int16,
        OnnxType.Int32 => DataType.Int32,
        OnnxType.Int64 => DataType.Int64,
        _ => null,
    };

    public static int ToOnnxType(DataType type) => (int)(type switch
    {
        DataType.Float32 => OnnxType.Float,
        DataType.UInt8 => OnnxType.Uint8,
        DataType.Int8 => OnnxType.Int8,
        DataType.Int16 => OnnxType.Int16,
        DataType.Int32 => OnnxType.Int32,
        DataType.Int64 => OnnxType.Int64,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    });

    /// <summary>A readable name of an ONNX element type code, for error messages.</summary>
    public static string TypeName(int onnxType) =>
        Enum.IsDefined((OnnxType)onnxType) ? ((OnnxType)onnxType).ToString().ToLowerInvariant() : $"type {onnxType}";

    /// <summary>
    /// Decodes an initializer or a Constant's value from raw_data or the typed field. Doubles become float32.
    /// Throws <see cref="InvalidDataException"/> naming the tensor when the data do not fit the dims.
    /// </summary>
    public static Tensor ToTensor(TensorProto proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        string what = $"tensor '{proto.Name}'";
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new InvalidDataException($"{what} keeps its data in an external file, which is not supported");
        }
        Shape shape = ToShape(proto.Dims, what);
        int count = shape.ElementCount;
        bool isDouble = proto.DataType == (int)OnnxType.Double;
        DataType type = isDouble ? DataType.Float32
            : ToDataType(proto.DataType) ?? throw new InvalidDataException($"{what} has unsupported element type {TypeName(proto.DataType)}");
        TensorType tensorType = new(type, shape);
        if (!proto.RawData.IsEmpty || count == 0)
        {
            int size = isDouble ? 8 : type.ByteSize();
            if (proto.RawData.Length != (long)count * size)
            {
                throw new InvalidDataException($"{what} {TypeName(proto.DataType)}{shape} needs {(long)count * size} bytes of raw_data, has {proto.RawData.Length}");
            }
            if (isDouble)
            {
                double[] d = MemoryMarshal.Cast<byte, double>(proto.RawData.Span).ToArray();
                return Tensor.FromFloats(tensorType, d.Select(v => (float)v).ToArray());
            }
            return Tensor.FromBytes(tensorType, proto.RawData.Span);
        }
        Array values = type switch
        {
            DataType.Float32 when isDouble => proto.DoubleData.Select(v => (float)v).ToArray(),
            DataType.Float32 => proto.FloatData.ToArray(),
            DataType.Int64 => proto.Int64Data.ToArray(),
            _ => proto.Int32Data.ToArray(),
        };
        if (values.Length != count)
        {
            throw new InvalidDataException($"{what} {TypeName(proto.DataType)}{shape} needs {count} values, has {values.Length}");
        }
        return values is int[] ints && type != DataType.Int32 ? Tensor.FromInt32Values(tensorType, ints) : new Tensor(tensorType, values);
    }

    /// <summary>Encodes a tensor with its data in raw_data (little-endian, as ONNX requires).</summary>
    public static TensorProto ToProto(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        TensorProto proto = new() { Name = name, DataType = ToOnnxType(tensor.DType) };
        proto.Dims.AddRange(tensor.Shape.Select(d => (long)d));
        byte[] bytes = new byte[tensor.Length * tensor.DType.ByteSize()];
        Buffer.BlockCopy(tensor.Data, 0, bytes, 0, bytes.Length);
        proto.RawData = ByteString.CopyFrom(bytes);
        return proto;
    }

    internal static Shape ToShape(IEnumerable<long> dims, string what)
    {
        List<int> result = [];
        foreach (long d in dims)
        {
            if (d < 0 || d > int.MaxValue)
            {
                throw new InvalidDataException($"{what} has dimension {d}");
            }
            result.Add((int)d);
        }
        long count = result.Aggregate(1L, (a, d) => a * d);
        if (count > int.MaxValue)
        {
            throw new InvalidDataException($"{what} has {count} elements, too many");
        }
        return new Shape(result);
    }
}
