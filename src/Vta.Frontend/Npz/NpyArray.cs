using System.Runtime.InteropServices;

namespace Vta.Frontend.Npz;

/// <summary>One named, C-ordered, little-endian array, as stored in a .npy file or one entry of a .npz.</summary>
public sealed class NpyArray
{
    private readonly int[] _shape;
    private readonly byte[] _data;

    /// <param name="data">The elements' little-endian bytes in C order; kept, not copied.</param>
    public NpyArray(string name, NpyDType dtype, ReadOnlySpan<int> shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (int dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            count *= dim;
        }

        if (count * dtype.Size() != data.Length)
        {
            throw new ArgumentException($"array '{name}': shape ({string.Join(", ", shape.ToArray())}) of {dtype.NumpyName()} needs {count * dtype.Size()} bytes, got {data.Length}", nameof(data));
        }

        Name = name;
        DType = dtype;
        _shape = shape.ToArray();
        _data = data;
        Count = count;
    }

    public string Name { get; }

    public NpyDType DType { get; }

    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of elements (1 for a 0-d array).</summary>
    public long Count { get; }

    /// <summary>The raw little-endian element bytes, C order.</summary>
    public ReadOnlySpan<byte> Bytes => _data;

    public static NpyArray Create<T>(string name, ReadOnlySpan<int> shape, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        RequireLittleEndianHost();
        return new NpyArray(name, NpyDTypes.FromClr<T>(), shape, MemoryMarshal.AsBytes(values).ToArray());
    }

    public NpyArray WithName(string name) => new(name, DType, _shape, _data);

    /// <summary>The elements as <typeparamref name="T"/>, which must be this array's exact element type.</summary>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        RequireLittleEndianHost();
        NpyDType wanted = NpyDTypes.FromClr<T>();
        if (wanted != DType)
        {
            throw new InvalidOperationException($"array '{Name}' is {DType.NumpyName()}, not {wanted.NumpyName()}");
        }

        return MemoryMarshal.Cast<byte, T>(_data);
    }

    public T[] ToArray<T>()
        where T : unmanaged => AsSpan<T>().ToArray();

    /// <summary>Every element converted to float32, whatever the stored type (bool as 0/1).</summary>
    public float[] ToFloat32()
    {
        RequireLittleEndianHost();
        return DType switch
        {
            NpyDType.Bool => Convert<byte>(v => v != 0 ? 1f : 0f),
            NpyDType.Int8 => Convert<sbyte>(v => v),
            NpyDType.UInt8 => Convert<byte>(v => v),
            NpyDType.Int16 => Convert<short>(v => v),
            NpyDType.UInt16 => Convert<ushort>(v => v),
            NpyDType.Int32 => Convert<int>(v => v),
            NpyDType.UInt32 => Convert<uint>(v => v),
            NpyDType.Int64 => Convert<long>(v => v),
            NpyDType.UInt64 => Convert<ulong>(v => v),
            NpyDType.Float32 => Convert<float>(v => v),
            NpyDType.Float64 => Convert<double>(v => (float)v),
            _ => throw new InvalidOperationException($"unknown dtype {DType}"),
        };
    }

    public override string ToString() => $"{Name}: {DType.NumpyName()} ({string.Join(", ", _shape)})";

    private float[] Convert<T>(Func<T, float> convert)
        where T : unmanaged
    {
        ReadOnlySpan<T> values = MemoryMarshal.Cast<byte, T>(_data);
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = convert(values[i]);
        }

        return result;
    }

    // The files are little-endian and the data is reinterpreted in place, which only holds on little-endian hosts.
    internal static void RequireLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("NumPy arrays are only handled on little-endian hosts");
        }
    }
}
