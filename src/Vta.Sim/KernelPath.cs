namespace Vta.Sim;

/// <summary>Which GEMM/ALU kernels run; everything but <see cref="Best"/> exists so tests can reach each fallback.</summary>
internal enum KernelPath
{
    /// <summary>AVX2 where the CPU has it and the block shape fits, else the portable vectors, else scalar.</summary>
    Best,

    /// <summary>Portable Vector128 kernels (any CPU), scalar where the block shape does not fit.</summary>
    Portable,

    /// <summary>Scalar loops only.</summary>
    Scalar,
}
