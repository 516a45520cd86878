namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// Fully connected layer, rows x [N,K] times weights packed transposed [K,U]: for each row, y[u] starts at the bias
/// and adds x[k]·w[k][u] for k in order (the managed kernel's order), the u loop innermost and vectorized.
/// Float: arguments x, w, bias, y (clamped to [Min, Max]). Quantized 8-bit: x, w int16 (w - zero point), p int32
/// [bias U | multiplier U | shift U | x zp, y zp, min, max], y; accumulates in an int32 row, then requantizes.
/// </summary>
public sealed class DenseKernel(int rows, int depth, int units, KernelElement element, bool outSigned, float min, float max) : KernelDefinition
{
    public int Rows { get; } = rows;

    public int Depth { get; } = depth;

    public int Units { get; } = units;

    public KernelElement Element { get; } = element;

    public bool OutSigned { get; } = outSigned;

    public float Min { get; } = min;

    public float Max { get; } = max;

    public override string Kind => Element == KernelElement.Float32 ? "dense_f32" : "dense_q8";

    public override string Description => $"n{Rows} k{Depth} u{Units} {Element}->{(OutSigned ? "s" : "u")} clamp{Min}..{Max}";

    public override int Arity => 4;

    public override void Emit(IrModule m, CodeTarget target)
    {
        if (Element == KernelElement.Float32)
        {
            EmitFloat(m);
        }
        else
        {
            EmitQuantized(m);
        }
    }

    private void EmitFloat(IrModule m)
    {
        IrType f = IrModule.Pointer(m.F32);
        IrValue[] a = m.BeginFunction(Symbol, f, f, f, f);
        (IrValue x, IrValue w, IrValue bias, IrValue y) = (a[0], a[1], a[2], a[3]);
        m.For(0, Rows, n =>
        {
            IrValue row = m.MulNsw(n, m.I64Const(Units));
            m.For(0, Units, u => m.Store(m.Load(bias, u), y, m.AddNsw(row, u)));
            m.For(0, Depth, k =>
            {
                IrValue xk = m.Load(x, m.AddNsw(m.MulNsw(n, m.I64Const(Depth)), k));
                IrValue wRow = m.MulNsw(k, m.I64Const(Units));
                m.For(0, Units, u =>
                {
                    IrValue at = m.AddNsw(row, u);
                    m.Store(m.FAdd(m.Load(y, at), m.FMul(xk, m.Load(w, m.AddNsw(wRow, u)))), y, at);
                });
            });
            if (!float.IsNegativeInfinity(Min) || !float.IsPositiveInfinity(Max))
            {
                m.For(0, Units, u => m.Store(m.FClamp(m.Load(y, m.AddNsw(row, u)), m.F32Const(Min), m.F32Const(Max)), y, m.AddNsw(row, u)));
            }
        });
        m.EndFunction();
    }

    private void EmitQuantized(IrModule m)
    {
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I16), IrModule.Pointer(m.I32), IrModule.Pointer(m.I8));
        (IrValue x, IrValue w, IrValue p, IrValue y) = (a[0], a[1], a[2], a[3]);
        IrValue acc = m.Alloca(m.I32, Units);
        IrValue q = m.Gep(p, 3L * Units);
        (IrValue xZero, IrValue yZero, IrValue lo, IrValue hi) = (m.Load(q, m.I64Const(0)), m.Load(q, m.I64Const(1)), m.Load(q, m.I64Const(2)), m.Load(q, m.I64Const(3)));
        m.For(0, Rows, n =>
        {
            m.For(0, Units, u => m.Store(m.Load(p, u), acc, u));
            m.For(0, Depth, k =>
            {
                IrValue raw = m.Load(x, m.AddNsw(m.MulNsw(n, m.I64Const(Depth)), k));
                IrValue xk = m.Sub(m.Extend(raw, m.I32, Element == KernelElement.Int8), xZero);
                IrValue wRow = m.MulNsw(k, m.I64Const(Units));
                m.For(0, Units, u => m.Store(m.Add(m.Load(acc, u), m.Mul(xk, m.SExt(m.Load(w, m.AddNsw(wRow, u)), m.I32))), acc, u));
            });
            m.For(0, Units, u =>
            {
                IrValue multiplier = m.Load(p, m.AddNsw(u, m.I64Const(Units)));
                IrValue shift = m.Load(p, m.AddNsw(u, m.I64Const(2L * Units)));
                IrValue v = FixedPointIr.Requantize(m, m.Load(acc, u), multiplier, shift, yZero, lo, hi);
                m.Store(m.Trunc(v, m.I8), y, m.AddNsw(m.MulNsw(n, m.I64Const(Units)), u));
            });
        });
        m.EndFunction();
    }
}
