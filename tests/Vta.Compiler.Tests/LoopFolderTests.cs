using Vta.Compiler.Lowering;

namespace Vta.Compiler.Tests;

public class LoopFolderTests
{
    [Fact]
    public void AConvTileFoldsOutputsIntoLoopsAndKeepsTheNest()
    {
        // 4 output blocks × 8 rows × 14 columns, 2 input blocks, 3×3 taps: 8064 GEMMs.
        NestDim[] dims =
        [
            new("o", 4, 112, 0, 18), new("y", 8, 14, 16, 0), new("x", 14, 1, 1, 0),
            new("c", 2, 0, 160, 9), new("ky", 3, 0, 16, 3), new("kx", 3, 0, 1, 1),
        ];
        var kernels = UopLoopFolder.Fold(dims, [new UopEntry(0, 0, 0)], 4096);

        var kernel = Assert.Single(kernels);
        Assert.Equal(2, kernel.Loops.Count);
        Assert.True(kernel.Uops.Count <= 4 * 2 * 9, $"{kernel.Uops.Count} micro-ops");
        Assert.True(Hazards.AcrossIterationsIsSafe(kernel));
        Assert.Equal(Expand(dims, [new UopEntry(0, 0, 0)]), Sorted(kernels.SelectMany(Execute)));
    }

    [Fact]
    public void ASingleAccumulatorWithSeveralTapsIsSplitSoNoMicroOpFollowsItsOwnWrite()
    {
        // One output element, 5 input blocks, 3 irregular taps: every GEMM writes accumulator 0.
        NestDim[] dims = [new("c", 5, 0, 9, 3)];
        UopEntry[] taps = [new(0, 0, 0), new(0, 4, 1), new(0, 8, 2)];
        var kernels = UopLoopFolder.Fold(dims, taps, 4096);

        Assert.All(kernels, k => Assert.True(Hazards.SequenceIsSafe(k.Uops)));
        Assert.Equal(Expand(dims, taps), Sorted(kernels.SelectMany(Execute)));
    }

    [Fact]
    public void ANestTooBigForTheUopBufferIsSplitIntoKernelsThatFit()
    {
        NestDim[] dims = [new("o", 4, 64, 0, 9), new("y", 8, 8, 10, 0), new("x", 8, 1, 1, 0), new("ky", 3, 0, 10, 3), new("kx", 3, 0, 1, 1)];
        var kernels = UopLoopFolder.Fold(dims, [new UopEntry(0, 0, 0)], maxUops: 4);

        Assert.True(kernels.Count > 1);
        Assert.All(kernels, k => Assert.InRange(k.Uops.Count, 1, 4));
        Assert.All(kernels, k => Assert.True(Hazards.SequenceIsSafe(k.Uops)));
        Assert.Equal(Expand(dims, [new UopEntry(0, 0, 0)]), Sorted(kernels.SelectMany(Execute)));
    }

    [Fact]
    public void PhasesWithDifferentOutputsShareOneKernel()
    {
        // Two transposed-convolution phases writing interleaved columns (dst factor 2), two taps each.
        NestDim[] dims = [new("y", 4, 8, 6, 0), new("x", 4, 2, 1, 0), new("c", 3, 0, 36, 16)];
        UopEntry[] bases = [new(0, 0, 5), new(0, 1, 7), new(1, 1, 4), new(1, 2, 6)];
        var kernel = Assert.Single(UopLoopFolder.Fold(dims, bases, 4096));
        Assert.Equal(Expand(dims, bases), Sorted(Execute(kernel)));
    }

    [Fact]
    public void TheHazardRulesSeeRepeatsWithinAndAcrossIterations()
    {
        Assert.False(Hazards.SequenceIsSafe([new(1, 0), new(2, 0), new(1, 0)]));
        Assert.True(Hazards.SequenceIsSafe([new(1, 0), new(2, 0), new(3, 0), new(1, 0)]));

        // A reduction loop (dst factor 0) over one micro-op writes the same accumulator every step.
        var reduction = new FoldedKernel([new(8, 0, 1, 1)], [new UopEntry(0, 0, 0)]);
        Assert.True(Hazards.SequenceIsSafe(reduction.Uops));
        Assert.False(Hazards.AcrossIterationsIsSafe(reduction));

        // Three outputs per iteration make the same loop safe; two do not (the first repeats two after the last but one).
        Assert.True(Hazards.AcrossIterationsIsSafe(new FoldedKernel([new(8, 0, 1, 1)], [new(0, 0), new(1, 0), new(2, 0)])));
        Assert.False(Hazards.AcrossIterationsIsSafe(new FoldedKernel([new(8, 0, 1, 1)], [new(0, 0), new(1, 0)])));
    }

    [Fact]
    public void TheEstimateIsTheNestOverItsTwoLargestLoops()
    {
        NestDim[] dims = [new("o", 4, 1, 0, 0), new("y", 8, 1, 0, 0), new("x", 14, 1, 0, 0)];
        Assert.Equal(9 * 4, UopLoopFolder.EstimateUops(dims, 9));
    }

    /// <summary>Every (dst, src, wgt) the nest asks for, by brute force.</summary>
    private static List<UopEntry> Expand(NestDim[] dims, UopEntry[] bases)
    {
        IEnumerable<UopEntry> all = bases;
        foreach (var d in dims)
        {
            var dim = d;
            all = all.SelectMany(u => Enumerable.Range(0, dim.Extent).Select(i => new UopEntry(u.Dst + (i * dim.Dst), u.Src + (i * dim.Src), u.Wgt + (i * dim.Wgt))));
        }

        return Sorted(all);
    }

    private static List<UopEntry> Sorted(IEnumerable<UopEntry> uops) => [.. uops.OrderBy(u => (u.Dst, u.Src, u.Wgt))];

    /// <summary>What the GEMM instruction runs: outer loop, inner loop, micro-ops.</summary>
    private static IEnumerable<UopEntry> Execute(FoldedKernel k)
    {
        var loops = k.Loops.Concat(Enumerable.Repeat(new Runtime.Commands.UopLoop(1, 0, 0, 0), 2 - k.Loops.Count)).ToArray();
        for (int i = 0; i < loops[0].Extent; i++)
        {
            for (int j = 0; j < loops[1].Extent; j++)
            {
                foreach (var u in k.Uops)
                {
                    yield return new UopEntry(u.Dst + (i * loops[0].DstFactor) + (j * loops[1].DstFactor),
                        u.Src + (i * loops[0].SrcFactor) + (j * loops[1].SrcFactor), u.Wgt + (i * loops[0].WgtFactor) + (j * loops[1].WgtFactor));
                }
            }
        }
    }
}
