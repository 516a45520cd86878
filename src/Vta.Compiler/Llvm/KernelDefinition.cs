using System.Security.Cryptography;
using System.Text;

namespace Vta.Compiler.Llvm;

/// <summary>
/// A kernel specialized to its shapes: a description (the cache key: every parameter that changes the code), and
/// the IR generator. Kernels take only pointer arguments; shapes are constants in the code.
/// </summary>
public abstract class KernelDefinition
{
    /// <summary>Bump when any generator changes, so persistent caches do not hand out stale machine code.</summary>
    internal const int CodegenVersion = 2;

    /// <summary>Short operator name, e.g. "dwconv_q8".</summary>
    public abstract string Kind { get; }

    /// <summary>Every parameter that the generated code depends on, as text.</summary>
    public abstract string Description { get; }

    /// <summary>Number of pointer arguments.</summary>
    public abstract int Arity { get; }

    /// <summary>The cache key: kind, description and codegen version.</summary>
    public string Key => $"{Kind}:{Description}:v{CodegenVersion}";

    /// <summary>The exported symbol: kind plus a hash of the key (stable across processes and targets).</summary>
    public string Symbol => $"vta_{Kind}_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)))[..16]}";

    /// <summary>Generates the function <see cref="Symbol"/> into <paramref name="module"/> for <paramref name="target"/>.</summary>
    public abstract void Emit(IrModule module, CodeTarget target);

    public override string ToString() => Key;
}
