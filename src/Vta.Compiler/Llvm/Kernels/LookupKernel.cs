namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// An 8-bit element-wise op as a table: y[i] = table[x[i]] (256 entries), or for a binary op
/// y[i] = table[a[i]·256 + b[i]] (65,536 entries), indexed by the elements' bit patterns. The tables are made when a
/// node is prepared by running the managed kernel on every possible input, so the result equals it by construction,
/// and one load replaces the fixed-point requantization chain (three multiply-high-and-shift steps for TFLite's ADD).
/// Arguments: a, b (unused when unary), y, pi (int32: n), table.
/// </summary>
public sealed class LookupKernel(bool binary) : KernelDefinition
{
    public bool Binary { get; } = binary;

    public override string Kind => Binary ? "lookup2" : "lookup";

    public override string Description => Binary ? "256x256" : "256";

    public override int Arity => 5;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrType bytes = IrModule.Pointer(m.I8);
        IrValue[] a = m.BeginFunction(Symbol, bytes, bytes, bytes, IrModule.Pointer(m.I32), bytes);
        (IrValue x, IrValue x2, IrValue y, IrValue pi, IrValue table) = (a[0], a[1], a[2], a[3], a[4]);
        IrValue count = m.SExt(m.Load(pi, m.I64Const(0)), m.I64);
        m.For(m.I64Const(0), count, i =>
        {
            IrValue index = m.ZExt(m.Load(x, i), m.I64);
            if (Binary)
            {
                index = m.AddNsw(m.MulNsw(index, m.I64Const(256)), m.ZExt(m.Load(x2, i), m.I64));
            }
            m.Store(m.Load(table, index), y, i);
        });
        m.EndFunction();
    }
}
