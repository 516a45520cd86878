using Vta.Compiler.Ops;
using Vta.Compiler.Reference;
using Vta.Compiler.Workloads;

namespace Vta.Compiler.Tests;

/// <summary>The plain references against hand-worked values and against other formulations of the same operators.</summary>
public class ReferenceTests
{
    [Fact]
    public void Conv2dMatchesAHandWorkedExample()
    {
        // 1 channel 3×3 input 1..9, 2×2 kernel [[1, 0], [0, -1]], pad 1 on top/left only, stride 2 → 2×2 output.
        var w = new Conv2dWorkload("t", 1, 3, 3, 1, 1, 2, 2, new Padding(1, 1, 0, 0), 2, 2);
        sbyte[] data = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        sbyte[] weight = [1, 0, 0, -1];
        // out(y,x) = in(2y−1, 2x−1) − in(2y, 2x), zero outside.
        Assert.Equal([-1, -3, -7, 5 - 9], ReferenceOps.Conv2d(data, weight, w));
    }

    [Fact]
    public void GroupedConvIsIndependentConvsPerGroup()
    {
        var rng = new Random(3);
        var grouped = new Conv2dWorkload("g", 2, 5, 4, 4, 6, 3, 3, Padding.Uniform(1), 1, 1, Groups: 2);
        var data = RandomBytes(rng, 2 * 4 * 5 * 4);
        var weight = RandomBytes(rng, 6 * 2 * 9);
        int[] all = ReferenceOps.Conv2d(data, weight, grouped);
        var single = grouped with { InChannels = 2, OutChannels = 3, Groups = 1 };
        for (int g = 0; g < 2; g++)
        {
            for (int n = 0; n < 2; n++)
            {
                var part = ReferenceOps.Conv2d(data.AsSpan(((n * 4) + (g * 2)) * 20, 2 * 20).ToArray(), weight.AsSpan(g * 3 * 2 * 9, 3 * 2 * 9), single with { N = 1 });
                Assert.Equal(part, all.AsSpan(((n * 6) + (g * 3)) * 20, 3 * 20).ToArray());
            }
        }
    }

    [Fact]
    public void Conv2dTransposeEqualsZeroInsertionPaddingAndAFlippedKernel()
    {
        // TVM's formulation: dilate the input by the stride, pad by k−1−p, correlate with the flipped, I/O-swapped kernel.
        var rng = new Random(4);
        var t = new Conv2dTransposeWorkload("t", 1, 3, 4, 3, 2, 4, 1, 2);
        var data = RandomBytes(rng, 3 * 3 * 4);
        var weight = RandomBytes(rng, 3 * 2 * 16);
        int dh = (3 - 1) * 2 + 1, dw = (4 - 1) * 2 + 1;
        var dilated = new sbyte[3 * dh * dw];
        for (int i = 0; i < 3; i++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int x = 0; x < 4; x++)
                {
                    dilated[(((i * dh) + (2 * y)) * dw) + (2 * x)] = data[(((i * 3) + y) * 4) + x];
                }
            }
        }

        var flipped = new sbyte[2 * 3 * 16];
        for (int o = 0; o < 2; o++)
        {
            for (int i = 0; i < 3; i++)
            {
                for (int k = 0; k < 16; k++)
                {
                    flipped[(((o * 3) + i) * 16) + k] = weight[(((i * 2) + o) * 16) + 15 - k];
                }
            }
        }

        var conv = new Conv2dWorkload("c", 1, dh, dw, 3, 2, 4, 4, Padding.Uniform(4 - 1 - 1), 1, 1);
        Assert.Equal((t.OutHeight, t.OutWidth), (conv.OutHeight, conv.OutWidth));
        Assert.Equal(ReferenceOps.Conv2d(dilated, flipped, conv), ReferenceOps.Conv2dTranspose(data, weight, t));
    }

    [Fact]
    public void DenseAndTheEpilogueFollowTheirDefinitions()
    {
        var w = new DenseWorkload("d", 2, 3, 2);
        int[] acc = ReferenceOps.Dense([1, 2, 3, -1, -2, -3], [10, 20, 30, 1, 1, 1], w);
        Assert.Equal([140, 6, -140, -6], acc);

        var epilogue = new Epilogue([new ShiftRight(2, Round: true), new AddBias(), new AddResidual(), new Clip(-10, 40)]);
        // (140 + 2) >> 2 = 35, + bias 3, + residual 1 → 39; (6 + 2) >> 2 = 2 − 1 + 0 → 1; −140 → −35 + 3 − 1 → −33 → −10; −6 → −1 − 1 + 5 → 3.
        Assert.Equal([39, 1, -10, 3], ReferenceEpilogue.Apply(acc, epilogue, 2, 1, [3, -1], [1, 0, -1, 5]));
        Assert.Equal([unchecked((sbyte)300)], ReferenceEpilogue.Apply([300], new Epilogue([]), 1, 1, [], [])); // no clip: the low byte
    }

    private static sbyte[] RandomBytes(Random rng, int n)
    {
        var values = new sbyte[n];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
