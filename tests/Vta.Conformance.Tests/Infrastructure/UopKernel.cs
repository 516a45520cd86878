using Vta.Hardware.Isa;

namespace Vta.Conformance.Tests.Infrastructure;

/// <summary>
/// A micro-op kernel as TVM's runtime caches it (UopKernel): a fixed list of micro-ops. Identity matters: the program
/// builder loads each kernel object into the uop SRAM once, like the runtime's resident-kernel cache.
/// </summary>
internal sealed class UopKernel(params Uop[] uops)
{
    public IReadOnlyList<Uop> Uops { get; } = uops;

    public int Count => Uops.Count;
}

/// <summary>One GEMM loop level: extent and the acc (dst), inp (src) and wgt index factors.</summary>
internal readonly record struct GemmLoop(int Extent, int Dst, int Src, int Wgt)
{
    public static GemmLoop None { get; } = new(1, 0, 0, 0);
}

/// <summary>One ALU loop level: extent and the dst and src (both ACC) index factors.</summary>
internal readonly record struct AluLoop(int Extent, int Dst, int Src)
{
    public static AluLoop None { get; } = new(1, 0, 0);
}

/// <summary>Zero padding of a 2-D LOAD, in elements.</summary>
internal readonly record struct Pads(int Y0, int Y1, int X0, int X1);
