namespace Vta.Compiler.Graphs;

/// <summary>Element type of a tensor.</summary>
public enum DataType
{
    Float32,
    Int8,
    UInt8,
    Int16,
    Int32,
    Int64,
}

/// <summary>Facts about each <see cref="DataType"/>.</summary>
public static class DataTypes
{
    public static int ByteSize(this DataType type) => type switch
    {
        DataType.Int8 or DataType.UInt8 => 1,
        DataType.Int16 => 2,
        DataType.Float32 or DataType.Int32 => 4,
        DataType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool IsInteger(this DataType type) => type != DataType.Float32;

    /// <summary>Smallest representable value of an integer type (as a long, so Int64 fits too).</summary>
    public static long MinValue(this DataType type) => type switch
    {
        DataType.Int8 => sbyte.MinValue,
        DataType.UInt8 => byte.MinValue,
        DataType.Int16 => short.MinValue,
        DataType.Int32 => int.MinValue,
        DataType.Int64 => long.MinValue,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an integer type"),
    };

    public static long MaxValue(this DataType type) => type switch
    {
        DataType.Int8 => sbyte.MaxValue,
        DataType.UInt8 => byte.MaxValue,
        DataType.Int16 => short.MaxValue,
        DataType.Int32 => int.MaxValue,
        DataType.Int64 => long.MaxValue,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an integer type"),
    };

    /// <summary>Lower-case name as printed in graph text: float32, int8, uint8, ...</summary>
    public static string Name(this DataType type) => type switch
    {
        DataType.Float32 => "float32",
        DataType.Int8 => "int8",
        DataType.UInt8 => "uint8",
        DataType.Int16 => "int16",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        _ => type.ToString(),
    };

    /// <summary>The .NET element type of the array that holds this data type.</summary>
    public static Type ClrType(this DataType type) => type switch
    {
        DataType.Float32 => typeof(float),
        DataType.Int8 => typeof(sbyte),
        DataType.UInt8 => typeof(byte),
        DataType.Int16 => typeof(short),
        DataType.Int32 => typeof(int),
        DataType.Int64 => typeof(long),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
