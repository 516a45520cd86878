using Vta.Runtime.Commands;

namespace Vta.Compiler.Lowering;

/// <summary>
/// A regular dimension of a micro-op nest: its extent and how far the dst (ACC), src (INP for GEMM, ACC for ALU) and
/// wgt indices move per step. Output dimensions move dst; reduction dimensions leave it in place.
/// </summary>
public readonly record struct NestDim(string Name, int Extent, int Dst, int Src, int Wgt)
{
    public bool IsOutput => Dst != 0;
}

/// <summary>One micro-op's indices, relative to the buffer bases of the step it runs in.</summary>
public readonly record struct UopEntry(int Dst, int Src, int Wgt = 0);

/// <summary>A folded kernel: up to two loops (outermost first) around a micro-op sequence, indices relative to the bases.</summary>
public sealed record FoldedKernel(IReadOnlyList<UopLoop> Loops, IReadOnlyList<UopEntry> Uops)
{
    /// <summary>Micro-ops executed by one push.</summary>
    public long Work => Loops.Aggregate((long)Uops.Count, (n, l) => n * l.Extent);

    /// <summary>The runtime kernel with the buffer bases added to every index.</summary>
    public UopKernel Build(UopKernelBuilder builder, int dstBase, int srcBase, int wgtBase = 0)
    {
        foreach (var l in Loops)
        {
            builder.Loop(l.Extent, l.DstFactor, l.SrcFactor, l.WgtFactor);
        }

        foreach (var u in Uops)
        {
            builder.Uop(u.Dst + dstBase, u.Src + srcBase, u.Wgt + wgtBase);
        }

        return builder.Build();
    }
}
