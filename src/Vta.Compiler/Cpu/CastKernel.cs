using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>Element type conversion with C semantics (integers wrap, float to integer truncates and saturates).</summary>
internal static class CastKernel
{
    public static Tensor Run(Tensor x, TensorType outType)
    {
        if (outType.DType == DataType.Float32)
        {
            return Tensor.FromFloats(outType, x.ToFloats());
        }
        long[] values = x.DType == DataType.Float32
            ? x.As<float>().Select(v => float.IsNaN(v) ? 0L : (long)Math.Clamp(Math.Truncate((double)v), outType.DType.MinValue(), outType.DType.MaxValue())).ToArray()
            : x.ToInt64Values().Select(v => Wrap(v, outType.DType)).ToArray();
        return FromInt64(outType, values);
    }

    /// <summary>Keeps the low bits of <paramref name="value"/> that fit the type, as two's complement.</summary>
    public static long Wrap(long value, DataType type) => type switch
    {
        DataType.Int8 => (sbyte)value,
        DataType.UInt8 => (byte)value,
        DataType.Int16 => (short)value,
        DataType.Int32 => (int)value,
        DataType.Int64 => value,
        _ => throw new GraphException($"{type.Name()} is not an integer type"),
    };

    /// <summary>Builds an integer tensor from values already in the type's range.</summary>
    public static Tensor FromInt64(TensorType type, long[] values)
    {
        if (type.DType == DataType.Int64)
        {
            return new Tensor(type, values);
        }
        return Tensor.FromInt32Values(type, values.Select(v => checked((int)v)).ToArray());
    }
}
