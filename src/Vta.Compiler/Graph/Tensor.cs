using System.Runtime.InteropServices;

namespace Vta.Compiler.Graphs;

/// <summary>
/// A tensor value: a <see cref="TensorType"/> and a plain row-major array of the matching .NET type
/// (float[], sbyte[], byte[], short[], int[] or long[]). Used for constants and by the reference executor.
/// </summary>
public sealed class Tensor
{
    public Tensor(TensorType type, Array data)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(data);
        Type expected = type.DType.ClrType();
        if (data.GetType().GetElementType() != expected || data.Rank != 1)
        {
            throw new ArgumentException($"a {type.DType.Name()} tensor needs a {expected.Name}[], got {data.GetType().Name}");
        }
        if (data.Length != type.Shape.ElementCount)
        {
            throw new ArgumentException($"{data.Length} elements for shape {type.Shape} ({type.Shape.ElementCount} elements)");
        }
        Type = type;
        Data = data;
    }

    public TensorType Type { get; }

    /// <summary>The elements, row-major. Shared, not copied: treat constants as read-only.</summary>
    public Array Data { get; }

    public DataType DType => Type.DType;

    public Shape Shape => Type.Shape;

    public Quantization? Quant => Type.Quant;

    public int Length => Data.Length;

    public static Tensor FromArray<T>(Shape shape, T[] data, Quantization? quant = null)
        where T : unmanaged =>
        new(new TensorType(DataTypeOf<T>(), shape, quant), data);

    public static Tensor Scalar(float value) => FromArray(Shape.Scalar, [value]);

    public static Tensor Zeros(TensorType type) =>
        new(type, Array.CreateInstance(type.DType.ClrType(), type.Shape.ElementCount));

    /// <summary>Reads little-endian bytes (as stored in model files) into a tensor of the given type.</summary>
    public static Tensor FromBytes(TensorType type, ReadOnlySpan<byte> bytes)
    {
        int expected = type.Shape.ElementCount * type.DType.ByteSize();
        if (bytes.Length != expected)
        {
            throw new ArgumentException($"{bytes.Length} bytes for {type} ({expected} expected)");
        }
        Tensor t = Zeros(type);
        // Model files are little-endian, as is every platform .NET runs this code on.
        bytes.CopyTo(t.AsSpanOf(type.DType));
        return t;
    }

    /// <summary>Builds an integer tensor from int values that the caller has already clamped to the type's range.</summary>
    public static Tensor FromInt32Values(TensorType type, ReadOnlySpan<int> values)
    {
        Tensor t = Zeros(type);
        // Switch on the declared type, not the array: the CLR lets a byte[] pass as an sbyte[] and vice versa.
        switch (type.DType)
        {
            case DataType.Int8:
                sbyte[] i8 = (sbyte[])t.Data;
                for (int i = 0; i < i8.Length; i++)
                {
                    i8[i] = checked((sbyte)values[i]);
                }
                break;
            case DataType.UInt8:
                byte[] u8 = (byte[])t.Data;
                for (int i = 0; i < u8.Length; i++)
                {
                    u8[i] = checked((byte)values[i]);
                }
                break;
            case DataType.Int16:
                short[] i16 = (short[])t.Data;
                for (int i = 0; i < i16.Length; i++)
                {
                    i16[i] = checked((short)values[i]);
                }
                break;
            case DataType.Int32:
                values[..t.Length].CopyTo((int[])t.Data);
                break;
            case DataType.Int64:
                long[] i64 = (long[])t.Data;
                for (int i = 0; i < i64.Length; i++)
                {
                    i64[i] = values[i];
                }
                break;
            default:
                throw new InvalidOperationException($"{type.DType.Name()} is not an integer type");
        }
        return t;
    }

    public static Tensor FromFloats(TensorType type, ReadOnlySpan<float> values)
    {
        if (type.DType != DataType.Float32)
        {
            throw new InvalidOperationException($"{type.DType.Name()} is not float32");
        }
        Tensor t = Zeros(type);
        values.CopyTo((float[])t.Data);
        return t;
    }

    public T[] As<T>()
        where T : unmanaged =>
        Data.GetType() == typeof(T[]) ? (T[])Data : throw new InvalidOperationException($"tensor is {DType.Name()}, not {typeof(T).Name}");

    /// <summary>The integer elements widened to int (int64 values must fit).</summary>
    public int[] ToInt32Values()
    {
        int[] r = new int[Length];
        switch (DType)
        {
            case DataType.Int8:
                sbyte[] i8 = (sbyte[])Data;
                for (int i = 0; i < i8.Length; i++)
                {
                    r[i] = i8[i];
                }
                break;
            case DataType.UInt8:
                byte[] u8 = (byte[])Data;
                for (int i = 0; i < u8.Length; i++)
                {
                    r[i] = u8[i];
                }
                break;
            case DataType.Int16:
                short[] i16 = (short[])Data;
                for (int i = 0; i < i16.Length; i++)
                {
                    r[i] = i16[i];
                }
                break;
            case DataType.Int32:
                ((int[])Data).CopyTo(r, 0);
                break;
            case DataType.Int64:
                long[] i64 = (long[])Data;
                for (int i = 0; i < i64.Length; i++)
                {
                    r[i] = checked((int)i64[i]);
                }
                break;
            default:
                throw new InvalidOperationException($"{DType.Name()} is not an integer type");
        }
        return r;
    }

    /// <summary>The elements as float, numerically (no dequantization).</summary>
    public float[] ToFloats()
    {
        if (DType == DataType.Float32)
        {
            return (float[])((float[])Data).Clone();
        }
        if (DType == DataType.Int64)
        {
            return ((long[])Data).Select(v => (float)v).ToArray();
        }
        return ToInt32Values().Select(v => (float)v).ToArray();
    }

    /// <summary>The elements as int64 (for shape-like integer tensors).</summary>
    public long[] ToInt64Values() =>
        DType == DataType.Int64 ? (long[])((long[])Data).Clone() : ToInt32Values().Select(v => (long)v).ToArray();

    /// <summary>Real values: scale * (q - zeroPoint) per element (per channel along the quantized axis).</summary>
    public float[] Dequantize()
    {
        if (Quant is null)
        {
            return ToFloats();
        }
        int[] q = ToInt32Values();
        float[] r = new float[q.Length];
        int[] channel = ChannelIndexOf(Shape, Quant);
        for (int i = 0; i < q.Length; i++)
        {
            int c = channel[i];
            r[i] = Quant.ScaleAt(c) * (q[i] - Quant.ZeroPointAt(c));
        }
        return r;
    }

    /// <summary>The same elements under another shape of the same element count.</summary>
    public Tensor Reshape(Shape shape) => new(Type.WithShape(shape), Data);

    public Tensor WithQuant(Quantization? quant) => new(Type.WithQuant(quant), Data);

    public override string ToString() => Type.ToString();

    /// <summary>For each flat index, the index along the quantized axis (0 for per-tensor quantization).</summary>
    internal static int[] ChannelIndexOf(Shape shape, Quantization quant) => ChannelIndexOf(shape, quant.IsPerChannel ? quant.Axis : -1);

    /// <summary>For each flat index, the index along <paramref name="axis"/> (all 0 when axis is -1).</summary>
    internal static int[] ChannelIndexOf(Shape shape, int axis)
    {
        int[] channel = new int[shape.ElementCount];
        if (axis < 0)
        {
            return channel;
        }
        int inner = 1;
        for (int a = axis + 1; a < shape.Rank; a++)
        {
            inner *= shape[a];
        }
        int size = shape[axis];
        for (int i = 0; i < channel.Length; i++)
        {
            channel[i] = i / inner % size;
        }
        return channel;
    }

    /// <summary>The elements as little-endian bytes (a view, not a copy).</summary>
    public ReadOnlySpan<byte> AsBytes() => AsSpanOf(DType);

    private Span<byte> AsSpanOf(DataType type) => type switch
    {
        DataType.Float32 => MemoryMarshal.AsBytes(((float[])Data).AsSpan()),
        DataType.Int8 => MemoryMarshal.AsBytes(((sbyte[])Data).AsSpan()),
        DataType.UInt8 => ((byte[])Data).AsSpan(),
        DataType.Int16 => MemoryMarshal.AsBytes(((short[])Data).AsSpan()),
        DataType.Int32 => MemoryMarshal.AsBytes(((int[])Data).AsSpan()),
        DataType.Int64 => MemoryMarshal.AsBytes(((long[])Data).AsSpan()),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static DataType DataTypeOf<T>() => typeof(T) == typeof(float) ? DataType.Float32
        : typeof(T) == typeof(sbyte) ? DataType.Int8
        : typeof(T) == typeof(byte) ? DataType.UInt8
        : typeof(T) == typeof(short) ? DataType.Int16
        : typeof(T) == typeof(int) ? DataType.Int32
        : typeof(T) == typeof(long) ? DataType.Int64
        : throw new ArgumentException($"no tensor data type for {typeof(T).Name}");
}
