namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// TFLite requantize of 8-bit data, per tensor: y = clamp(zo + MultiplyByQuantizedMultiplier(x - zi, m, s)), the zero
/// point added in 64 bits as the managed kernel does. Arguments: x, y, p int32 [m, s, zi, zo, min, max].
/// </summary>
public sealed class RequantizeKernel(int count, bool inSigned, bool outSigned) : KernelDefinition
{
    public int Count { get; } = count;

    public bool InSigned { get; } = inSigned;

    public bool OutSigned { get; } = outSigned;

    public override string Kind => "requant_q8";

    public override string Description => $"n{Count} {(InSigned ? "i8" : "u8")}->{(OutSigned ? "i8" : "u8")}";

    public override int Arity => 3;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I8), IrModule.Pointer(m.I32));
        (IrValue x, IrValue y, IrValue p) = (a[0], a[1], a[2]);
        IrValue P(int i) => m.Load(p, m.I64Const(i));
        (IrValue mult, IrValue shift, IrValue zi, IrValue zo, IrValue lo, IrValue hi) = (P(0), P(1), P(2), P(3), P(4), P(5));
        m.For(0, Count, i =>
        {
            IrValue v = m.Sub(m.Extend(m.Load(x, i), m.I32, InSigned), zi);
            IrValue scaled = m.Add(m.SExt(FixedPointIr.MultiplyByQuantizedMultiplier(m, v, mult, shift), m.I64), m.SExt(zo, m.I64));
            IrValue clamped = m.SClamp(scaled, m.SExt(lo, m.I64), m.SExt(hi, m.I64));
            m.Store(m.Trunc(clamped, m.I8), y, i);
        });
        m.EndFunction();
    }
}
