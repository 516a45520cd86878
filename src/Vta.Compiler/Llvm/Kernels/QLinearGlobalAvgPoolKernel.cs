namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// ONNX Runtime's QLinearGlobalAveragePool on NCHW 8-bit data, as <c>QLinearKernels.GlobalAvgPool</c> computes it: per
/// plane the int32 sum of the values minus zero point · plane size, times scale = x scale / (y scale · plane) in
/// float32, rounded half to even, plus the output zero point, saturated. Arguments: x, y, p (int32: x zero point,
/// y zero point, min, max), pf (float: scale).
/// </summary>
public sealed class QLinearGlobalAvgPoolKernel(int planes, int planeSize, KernelElement x, KernelElement y) : KernelDefinition
{
    /// <summary>Batch · channels.</summary>
    public int Planes { get; } = planes;

    public int PlaneSize { get; } = planeSize;

    public KernelElement X { get; } = x;

    public KernelElement Y { get; } = y;

    public override string Kind => "qlinear_gap";

    public override string Description => $"planes{Planes} size{PlaneSize} {X}->{Y}";

    public override int Arity => 4;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I8), IrModule.Pointer(m.I32), IrModule.Pointer(m.F32));
        (IrValue x, IrValue y, IrValue p, IrValue pf) = (a[0], a[1], a[2], a[3]);
        IrValue xZero = m.Load(p, m.I64Const(0)), yZero = m.Load(p, m.I64Const(1));
        IrValue lo = m.SIToFP(m.Sub(m.Load(p, m.I64Const(2)), yZero), m.F32), hi = m.SIToFP(m.Sub(m.Load(p, m.I64Const(3)), yZero), m.F32);
        IrValue scale = m.Load(pf, m.I64Const(0));
        IrValue sum = m.Alloca(m.I32, 1);
        IrValue start = m.Mul(m.Sub(m.I32Const(0), xZero), m.I32Const(PlaneSize));
        m.For(0, Planes, c =>
        {
            IrValue at = m.MulNsw(c, m.I64Const(PlaneSize));
            m.Store(start, sum);
            m.For(0, PlaneSize, i => m.Store(m.Add(m.Load(sum), m.Extend(m.Load(x, m.AddNsw(at, i)), m.I32, X == KernelElement.Int8)), sum));
            IrValue v = m.FMul(m.SIToFP(m.Load(sum), m.F32), scale);
            m.Store(m.Trunc(m.Add(ElementwiseKernel.RoundToInt(m, "llvm.rint.f32", v, lo, hi), yZero), m.I8), y, c);
        });
        m.EndFunction();
    }
}
