using Vta.Compiler.Graphs;

namespace Vta.Frontend.Npz;

/// <summary>Graph tensors to and from NumPy arrays (.npy / .npz), checked against what a graph expects.</summary>
public static class NpzTensors
{
    public static NpyArray ToNpy(string name, Tensor tensor) =>
        new(name, ToNpy(tensor.DType), [.. tensor.Shape], tensor.AsBytes().ToArray());

    /// <summary>The array as a tensor of <paramref name="expected"/>'s type; a wrong dtype or shape names the file and the array.</summary>
    public static Tensor ToTensor(NpyArray array, TensorType expected, string file)
    {
        if (array.DType != ToNpy(expected.DType))
        {
            throw new NpyFormatException(file, $"array '{array.Name}' is {array.DType.NumpyName()}, the model's input is {expected.DType.Name()}");
        }

        if (!array.Shape.SequenceEqual(expected.Shape))
        {
            throw new NpyFormatException(file, $"array '{array.Name}' has shape ({string.Join(", ", array.Shape)}), the model's input is {expected.Shape}");
        }

        return Tensor.FromBytes(expected, array.Bytes);
    }

    /// <summary>Seeded data for an input: uniform over an integer type's range, standard normal for float.</summary>
    public static Tensor Random(TensorType type, Random random)
    {
        int count = type.Shape.ElementCount;
        if (type.DType == DataType.Float32)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            }

            return new Tensor(type, values);
        }

        (long lo, long hi) = type.DType is DataType.Int8 or DataType.UInt8 or DataType.Int16
            ? (type.DType.MinValue(), type.DType.MaxValue())
            : (-128, 127);
        var ints = new int[count];
        for (int i = 0; i < count; i++)
        {
            ints[i] = (int)random.NextInt64(lo, hi + 1);
        }

        return Tensor.FromInt32Values(type, ints);
    }

    private static NpyDType ToNpy(DataType type) => type switch
    {
        DataType.Float32 => NpyDType.Float32,
        DataType.Int8 => NpyDType.Int8,
        DataType.UInt8 => NpyDType.UInt8,
        DataType.Int16 => NpyDType.Int16,
        DataType.Int32 => NpyDType.Int32,
        DataType.Int64 => NpyDType.Int64,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no NumPy type"),
    };
}
