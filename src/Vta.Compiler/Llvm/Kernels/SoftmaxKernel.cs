namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// Float softmax over the last axis of [rows, depth]: the row maximum, exp(beta (x - max)) summed in order (the
/// managed kernel's order; llvm.exp.f32 becomes the C library's expf, as MathF.Exp is), then one division per element.
/// Arguments: x, y.
/// </summary>
public sealed class SoftmaxKernel(int rows, int depth, float beta) : KernelDefinition
{
    public int Rows { get; } = rows;

    public int Depth { get; } = depth;

    public float Beta { get; } = beta;

    public override string Kind => "softmax_f32";

    public override string Description => $"n{Rows} d{Depth} beta{Beta:R}";

    public override int Arity => 2;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrType f = IrModule.Pointer(m.F32);
        IrValue[] a = m.BeginFunction(Symbol, f, f);
        (IrValue x, IrValue y) = (a[0], a[1]);
        IrValue slot = m.Alloca(m.F32, 2);
        IrValue maxSlot = m.Gep(slot, 0), sumSlot = m.Gep(slot, 1);
        m.For(0, Rows, n =>
        {
            IrValue row = m.MulNsw(n, m.I64Const(Depth));
            m.Store(m.F32Const(float.NegativeInfinity), maxSlot);
            m.For(0, Depth, c =>
            {
                IrValue v = m.Load(x, m.AddNsw(row, c)), old = m.Load(maxSlot);
                m.Store(m.Select(m.FCmp(FloatCompare.Ogt, v, old), v, old), maxSlot);
            });
            IrValue max = m.Load(maxSlot);
            m.Store(m.F32Const(0), sumSlot);
            m.For(0, Depth, c =>
            {
                IrValue e = m.Call("llvm.exp.f32", m.F32, m.FMul(m.FSub(m.Load(x, m.AddNsw(row, c)), max), m.F32Const(Beta)));
                m.Store(e, y, m.AddNsw(row, c));
                m.Store(m.FAdd(m.Load(sumSlot), e), sumSlot);
            });
            IrValue sum = m.Load(sumSlot);
            m.For(0, Depth, c => m.Store(m.FDiv(m.Load(y, m.AddNsw(row, c)), sum), y, m.AddNsw(row, c)));
        });
        m.EndFunction();
    }
}
