using Vta.Compiler.Graphs;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>Runs a hand-built model in ONNX Runtime and in the executor and compares every output.</summary>
internal static class OrtAssert
{
    /// <summary>Integer outputs must be equal; float outputs within <paramref name="tolerance"/> of |a - b| / (1 + |b|).</summary>
    public static Tensor[] Matches(OnnxModelBuilder model, IReadOnlyDictionary<string, Tensor> inputs, double tolerance = 1e-5)
    {
        byte[] bytes = model.Bytes();
        Tensor[] ort = Ort.Run(bytes, inputs);
        Tensor[] ours = Ort.RunOurs(bytes, inputs);
        Assert.Equal(ort.Length, ours.Length);
        for (int i = 0; i < ort.Length; i++)
        {
            Assert.Equal(ort[i].Shape, ours[i].Shape);
            Assert.Equal(ort[i].DType, ours[i].DType);
            if (ort[i].DType == DataType.Float32)
            {
                double error = Ort.MaxScaledError(ours[i], ort[i]);
                Assert.True(error <= tolerance, $"output {i}: scaled error {error:E2} above {tolerance:E0}");
            }
            else
            {
                int[] a = ours[i].ToInt32Values(), b = ort[i].ToInt32Values();
                int differing = a.Zip(b).Count(p => p.First != p.Second);
                int first = FirstDifference(a, b);
                Assert.True(differing == 0, $"output {i}: {differing} of {a.Length} values differ from ONNX Runtime (first at {first}: {(first < 0 ? 0 : a[first])} vs {(first < 0 ? 0 : b[first])})");
            }
        }
        return ours;
    }

    public static Tensor[] Matches(OnnxModelBuilder model, string input, Tensor value, double tolerance = 1e-5) =>
        Matches(model, new Dictionary<string, Tensor> { [input] = value }, tolerance);

    private static int FirstDifference(int[] a, int[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }
        return -1;
    }
}
