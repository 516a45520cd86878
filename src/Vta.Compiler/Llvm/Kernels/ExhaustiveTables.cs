using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// 8-bit ops tabulated by running the managed kernel (<see cref="OpEvaluator"/>) on every possible input, indexed by
/// bit pattern, and the cheaper exact forms recognized in a table (checked on every entry, so never assumed).
/// </summary>
internal static class ExhaustiveTables
{
    /// <summary>table[bits(x)] = bits(op(x)) for the 256 values of <paramref name="input"/>'s type.</summary>
    public static byte[] Unary(Op op, TensorType input, TensorType outType)
    {
        Tensor x = Tensor.FromInt32Values(input with { Shape = new Shape(256) }, [.. Enumerable.Range(0, 256).Select(k => ValueOf(input.DType, k))]);
        return Bits(OpEvaluator.Evaluate(op, [x], [outType with { Shape = new Shape(256) }])[0]);
    }

    /// <summary>table[bits(a)·256 + bits(b)] = bits(op(a, b)) for the 65,536 pairs.</summary>
    public static byte[] Binary(Op op, TensorType a, TensorType b, TensorType outType)
    {
        Shape all = new(65536);
        Tensor ta = Tensor.FromInt32Values(a with { Shape = all }, [.. Enumerable.Range(0, 65536).Select(k => ValueOf(a.DType, k >> 8))]);
        Tensor tb = Tensor.FromInt32Values(b with { Shape = all }, [.. Enumerable.Range(0, 65536).Select(k => ValueOf(b.DType, k & 255))]);
        return Bits(OpEvaluator.Evaluate(op, [ta, tb], [outType with { Shape = all }])[0]);
    }

    /// <summary>The k with table[bits] = bits + k (mod 256) for every entry, or null.</summary>
    public static int? WrapOffset(byte[] table)
    {
        int k = table[0];
        return Enumerable.Range(0, 256).All(bits => table[bits] == (byte)(bits + k)) ? k : null;
    }

    /// <summary>The (c, lo, hi) with y = clamp(a + b − c, lo, hi) (values, not bits) for every pair, or null.</summary>
    public static (int C, int Lo, int Hi)? ClampedSum(byte[] table, DataType a, DataType b, DataType y)
    {
        int[] values = [.. table.Select(t => ValueOf(y, t))];
        int lo = values.Min(), hi = values.Max();
        int interior = Array.FindIndex(values, v => v > lo && v < hi);
        if (interior < 0)
        {
            return null;
        }

        int c = ValueOf(a, interior >> 8) + ValueOf(b, interior & 255) - values[interior];
        for (int k = 0; k < values.Length; k++)
        {
            if (values[k] != Math.Clamp(ValueOf(a, k >> 8) + ValueOf(b, k & 255) - c, lo, hi))
            {
                return null;
            }
        }

        return (c, lo, hi);
    }

    private static int ValueOf(DataType type, int bits) => type == DataType.Int8 ? (sbyte)(byte)bits : bits;

    private static byte[] Bits(Tensor t) => [.. t.ToInt32Values().Select(v => (byte)v)];
}
