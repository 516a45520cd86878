using Vta.Hardware.Isa;

namespace Vta.Runtime.Commands;

/// <summary>One level of a micro-op loop: the extent and how far each index moves per iteration.</summary>
public readonly record struct UopLoop(int Extent, int DstFactor, int SrcFactor, int WgtFactor);

public enum UopKernelMode
{
    Gemm,
    Alu,
}

/// <summary>
/// A recorded micro-op kernel (TVM's UopKernel): up to two loop levels around a sequence of micro-ops, with the
/// kernel-wide mode, reset flag and ALU operation. Immutable; equal kernels share one place in the uop cache.
/// Build with <see cref="UopKernelBuilder"/>.
/// </summary>
public sealed class UopKernel : IEquatable<UopKernel>
{
    private readonly int _hash;

    internal UopKernel(UopKernelMode mode, bool reset, AluOpcode aluOpcode, bool useImm, short imm, UopLoop[] loops, Uop[] uops)
    {
        Mode = mode;
        Reset = reset;
        AluOpcode = aluOpcode;
        UseImm = useImm;
        Imm = imm;
        Loops = loops;
        Uops = uops;
        var h = new HashCode();
        h.Add(mode);
        h.Add(reset);
        h.Add(aluOpcode);
        h.Add(useImm);
        h.Add(imm);
        foreach (var l in loops)
        {
            h.Add(l);
        }

        foreach (var u in uops)
        {
            h.Add(u);
        }

        _hash = h.ToHashCode();
    }

    public UopKernelMode Mode { get; }

    public bool Reset { get; }

    public AluOpcode AluOpcode { get; }

    public bool UseImm { get; }

    public short Imm { get; }

    public IReadOnlyList<UopLoop> Loops { get; }

    public IReadOnlyList<Uop> Uops { get; }

    /// <summary>Micro-ops executed by one push: the product of loop extents times the sequence length.</summary>
    public long WorkCount => Loops.Aggregate((long)Uops.Count, (n, l) => n * l.Extent);

    public static UopKernelBuilder Gemm(bool reset = false) => new(UopKernelMode.Gemm, reset, AluOpcode.Min, false, 0);

    public static UopKernelBuilder Alu(AluOpcode op) => new(UopKernelMode.Alu, false, op, false, 0);

    public static UopKernelBuilder Alu(AluOpcode op, short imm) => new(UopKernelMode.Alu, false, op, true, imm);

    public bool Equals(UopKernel? other) =>
        other is not null && _hash == other._hash && Mode == other.Mode && Reset == other.Reset && AluOpcode == other.AluOpcode
        && UseImm == other.UseImm && Imm == other.Imm && Loops.SequenceEqual(other.Loops) && Uops.SequenceEqual(other.Uops);

    public override bool Equals(object? obj) => Equals(obj as UopKernel);

    public override int GetHashCode() => _hash;

    public override string ToString()
    {
        string op = Mode == UopKernelMode.Gemm ? (Reset ? "GEMM reset" : "GEMM") : $"ALU {AluOpcode}{(UseImm ? $" imm={Imm}" : "")}";
        return $"{op}, loops [{string.Join(", ", Loops.Select(l => $"{l.Extent}×(dst {l.DstFactor}, src {l.SrcFactor}, wgt {l.WgtFactor})"))}], {Uops.Count} uops";
    }
}
