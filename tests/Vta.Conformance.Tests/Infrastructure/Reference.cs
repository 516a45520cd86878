namespace Vta.Conformance.Tests.Infrastructure;

/// <summary>
/// The plain reference: scalar loops over natural (unblocked) int8/int32 arrays with 32-bit two's-complement wrap,
/// written from the TVM tests' numpy/C++ references, sharing no code with the simulator.
/// </summary>
internal static class Reference
{
    /// <summary>acc[i][o] = bias[i][o] + Σ_k x[i][k] · w[o][k] (w is output-channel major), wrapping at 32 bits.</summary>
    public static int[] MatMul(sbyte[] x, sbyte[] w, int[]? bias, int batch, int inFeat, int outFeat)
    {
        var acc = new int[batch * outFeat];
        for (int i = 0; i < batch; i++)
        {
            for (int o = 0; o < outFeat; o++)
            {
                int sum = bias is null ? 0 : bias[i * outFeat + o];
                for (int k = 0; k < inFeat; k++)
                {
                    sum = unchecked(sum + x[i * inFeat + k] * w[o * inFeat + k]);
                }

                acc[i * outFeat + o] = sum;
            }
        }

        return acc;
    }

    /// <summary>test_lib's shift: a non-negative amount shifts right (arithmetic), a negative one shifts left.</summary>
    public static int Shift(int x, int amount) => amount >= 0 ? x >> amount : unchecked(x << -amount);

    /// <summary>Narrowing to int8 by truncation (numpy astype / a C cast).</summary>
    public static sbyte[] ToInt8(int[] values) => values.Select(v => unchecked((sbyte)v)).ToArray();

    public static int[] Map(int[] values, Func<int, int> f) => values.Select(f).ToArray();

    public static int[] Zip(int[] a, int[] b, Func<int, int, int> f) => a.Zip(b, f).ToArray();
}
