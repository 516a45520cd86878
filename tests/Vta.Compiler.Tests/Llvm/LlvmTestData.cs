using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Llvm;

/// <summary>Random tensors and the comparisons the LLVM kernel tests share.</summary>
internal static class LlvmTestData
{
    /// <summary>
    /// The 17 depthwise convs of MobileNetV2 1.0 (224², the 1×1001 TFLite model in ../shared/models/imagenet), as
    /// (H = W, channels, stride). Hard-coded: the compiler tests may not depend on the frontend that reads the model.
    /// All are 3×3 with TFLite SAME padding.
    /// </summary>
    public static readonly (int Size, int Channels, int Stride)[] MobileNetV2Depthwise =
    [
        (112, 32, 1), (112, 96, 2), (56, 144, 1), (56, 144, 2), (28, 192, 1), (28, 192, 1), (28, 192, 2),
        (14, 384, 1), (14, 384, 1), (14, 384, 1), (14, 384, 1), (14, 576, 1), (14, 576, 1), (14, 576, 2),
        (7, 960, 1), (7, 960, 1), (7, 960, 1),
    ];

    /// <summary>TFLite SAME padding for a 3-wide window: (before, after).</summary>
    public static (int Before, int After) SamePad(int size, int kernel, int stride)
    {
        int outSize = (size + stride - 1) / stride;
        int total = Math.Max(((outSize - 1) * stride) + kernel - size, 0);
        return (total / 2, total - (total / 2));
    }

    public static Tensor RandomQuantized(Random rng, DataType type, Shape shape, Quantization quant)
    {
        int lo = (int)type.MinValue(), hi = (int)type.MaxValue();
        int[] values = new int[shape.ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.Next(lo, hi + 1);
        }
        return Tensor.FromInt32Values(new TensorType(type, shape, quant), values);
    }

    public static Tensor RandomInt32(Random rng, Shape shape, int magnitude) =>
        Tensor.FromInt32Values(new TensorType(DataType.Int32, shape), Enumerable.Range(0, shape.ElementCount).Select(_ => rng.Next(-magnitude, magnitude + 1)).ToArray());

    public static Tensor RandomFloat(Random rng, Shape shape, float scale = 1f) =>
        Tensor.FromArray(shape, Enumerable.Range(0, shape.ElementCount).Select(_ => (float)((rng.NextDouble() * 2) - 1) * scale).ToArray());

    /// <summary>The managed kernel's output for the op.</summary>
    public static Tensor Managed(Op op, TensorType outType, params Tensor[] inputs) => OpEvaluator.Evaluate(op, inputs, [outType])[0];

    public static void AssertSameIntegers(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Type, actual.Type);
        int[] e = expected.ToInt32Values(), a = actual.ToInt32Values();
        int mismatches = 0, first = -1;
        for (int i = 0; i < e.Length; i++)
        {
            if (e[i] != a[i])
            {
                mismatches++;
                first = first < 0 ? i : first;
            }
        }
        Assert.True(mismatches == 0, $"{what}: {mismatches} of {e.Length} differ, first at {first}: expected {(first < 0 ? 0 : e[first])}, got {(first < 0 ? 0 : a[first])}");
    }

    /// <summary>
    /// |actual - expected| ≤ tolerance · max(|expected|, floorFraction · the output's largest magnitude) for every
    /// element (the floor keeps values that are zero up to rounding from demanding an exact zero).
    /// </summary>
    public static double AssertClose(Tensor expected, Tensor actual, string what, double tolerance = 1e-5, double floorFraction = 1e-3)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] e = expected.As<float>(), a = actual.As<float>();
        double floor = floorFraction * e.Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.Length; i++)
        {
            double relative = Math.Abs((double)a[i] - e[i]) / Math.Max(Math.Max(Math.Abs((double)e[i]), floor), 1e-30);
            if (relative > worst || double.IsNaN(relative))
            {
                (worst, at) = (relative, i);
            }
        }
        Assert.True(worst <= tolerance, $"{what}: relative error {worst:E3} at {at} (expected {(at < 0 ? 0 : e[at])}, got {(at < 0 ? 0 : a[at])})");
        return worst;
    }
}
