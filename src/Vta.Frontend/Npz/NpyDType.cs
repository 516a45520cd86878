namespace Vta.Frontend.Npz;

/// <summary>The NumPy element types this reader and writer handle, all little-endian.</summary>
public enum NpyDType
{
    Bool,
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float32,
    Float64,
}

public static class NpyDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this NpyDType dtype) => dtype switch
    {
        NpyDType.Bool or NpyDType.Int8 or NpyDType.UInt8 => 1,
        NpyDType.Int16 or NpyDType.UInt16 => 2,
        NpyDType.Int32 or NpyDType.UInt32 or NpyDType.Float32 => 4,
        NpyDType.Int64 or NpyDType.UInt64 or NpyDType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The descr string NumPy writes (<c>dtype.str</c>): '|' for one-byte types, '&lt;' otherwise.</summary>
    public static string Descr(this NpyDType dtype) => dtype switch
    {
        NpyDType.Bool => "|b1",
        NpyDType.Int8 => "|i1",
        NpyDType.UInt8 => "|u1",
        NpyDType.Int16 => "<i2",
        NpyDType.UInt16 => "<u2",
        NpyDType.Int32 => "<i4",
        NpyDType.UInt32 => "<u4",
        NpyDType.Int64 => "<i8",
        NpyDType.UInt64 => "<u8",
        NpyDType.Float32 => "<f4",
        NpyDType.Float64 => "<f8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The NumPy name (float32, int8, ...), for messages.</summary>
    public static string NumpyName(this NpyDType dtype) => dtype == NpyDType.Bool ? "bool" : dtype.ToString().ToLowerInvariant();

    /// <summary>Parses a descr; returns an error message instead of a dtype when it is not supported.</summary>
    public static bool TryParseDescr(string descr, out NpyDType dtype, out string error)
    {
        dtype = default;
        error = "";
        if (descr.Length < 3)
        {
            error = $"unsupported dtype descr '{descr}'";
            return false;
        }

        char order = descr[0];
        string kind = descr[1..];
        NpyDType? parsed = kind switch
        {
            "b1" => NpyDType.Bool,
            "i1" => NpyDType.Int8,
            "u1" => NpyDType.UInt8,
            "i2" => NpyDType.Int16,
            "u2" => NpyDType.UInt16,
            "i4" => NpyDType.Int32,
            "u4" => NpyDType.UInt32,
            "i8" => NpyDType.Int64,
            "u8" => NpyDType.UInt64,
            "f4" => NpyDType.Float32,
            "f8" => NpyDType.Float64,
            _ => null,
        };
        if (parsed is null || order is not ('<' or '>' or '|' or '='))
        {
            error = $"unsupported dtype descr '{descr}' (supported: bool, int8/16/32/64, uint8/16/32/64, float32, float64)";
            return false;
        }

        // Byte order only matters for multi-byte elements; '=' is native, which .NET hosts are little-endian.
        if (parsed.Value.Size() > 1 && order == '>')
        {
            error = $"big-endian dtype '{descr}' is not supported; convert with arr.astype(arr.dtype.newbyteorder('<'))";
            return false;
        }

        if (parsed.Value.Size() > 1 && order == '|')
        {
            error = $"invalid dtype descr '{descr}': a multi-byte type needs a byte order";
            return false;
        }

        dtype = parsed.Value;
        return true;
    }

    internal static NpyDType FromClr<T>()
        where T : unmanaged
    {
        Type t = typeof(T);
        return t == typeof(bool) ? NpyDType.Bool
            : t == typeof(sbyte) ? NpyDType.Int8
            : t == typeof(byte) ? NpyDType.UInt8
            : t == typeof(short) ? NpyDType.Int16
            : t == typeof(ushort) ? NpyDType.UInt16
            : t == typeof(int) ? NpyDType.Int32
            : t == typeof(uint) ? NpyDType.UInt32
            : t == typeof(long) ? NpyDType.Int64
            : t == typeof(ulong) ? NpyDType.UInt64
            : t == typeof(float) ? NpyDType.Float32
            : t == typeof(double) ? NpyDType.Float64
            : throw new NotSupportedException($"{t.Name} has no NumPy dtype here");
    }
}
