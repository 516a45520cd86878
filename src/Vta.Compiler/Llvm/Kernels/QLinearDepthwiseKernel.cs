namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// ONNX QLinearConv with one group per channel (depthwise, NCHW, 8-bit), as <c>QLinearKernels.Conv</c> computes it:
/// exact int32 sums of (x − x zero point)·(w − w zero point[c]) plus bias, then MLAS's requantization (float32
/// acc·scale[c], rounded half to even, plus the output zero point, saturated). Arguments: x, w (int32 [C][KH·KW], already
/// centered), bias (int32 [C]), scale (float [C]), y, p (int32: x zero point, y zero point, min, max). Per (image,
/// channel, output row) a row of int32 accumulators is updated tap by tap over the tap's valid columns (constants, see
/// <see cref="WindowGeometry.ColumnsOfTap"/>), so the inner loop is check-free and runs along the row for the vectorizer.
/// </summary>
public sealed class QLinearDepthwiseKernel(int batch, int channels, WindowGeometry window, KernelElement x, KernelElement y) : KernelDefinition
{
    public int Batch { get; } = batch;

    public int Channels { get; } = channels;

    public WindowGeometry Window { get; } = window;

    public KernelElement X { get; } = x;

    public KernelElement Y { get; } = y;

    public override string Kind => "qlinear_dwconv";

    public override string Description => $"n{Batch} c{Channels} {Window} {X}->{Y}";

    public override int Arity => 6;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I32), IrModule.Pointer(m.I32), IrModule.Pointer(m.F32),
            IrModule.Pointer(m.I8), IrModule.Pointer(m.I32));
        (IrValue x, IrValue w, IrValue bias, IrValue scale, IrValue y, IrValue p) = (a[0], a[1], a[2], a[3], a[4], a[5]);
        WindowGeometry g = Window;
        IrValue xZero = m.Load(p, m.I64Const(0)), yZero = m.Load(p, m.I64Const(1));
        // clamp(rint(v) + zp, lo, hi) == clamp(rint(v), lo − zp, hi − zp) + zp: the clamp happens in float, exactly.
        IrValue lo = m.SIToFP(m.Sub(m.Load(p, m.I64Const(2)), yZero), m.F32), hi = m.SIToFP(m.Sub(m.Load(p, m.I64Const(3)), yZero), m.F32);
        IrValue acc = m.Alloca(m.I32, g.OW);
        int taps = g.KH * g.KW;
        m.For(0, Batch, n => m.For(0, Channels, c =>
        {
            IrValue plane = m.MulNsw(m.AddNsw(m.MulNsw(n, m.I64Const(Channels)), c), m.I64Const(g.H * g.W));
            IrValue outPlane = m.MulNsw(m.AddNsw(m.MulNsw(n, m.I64Const(Channels)), c), m.I64Const(g.OH * g.OW));
            IrValue b = m.Load(bias, c), s = m.Load(scale, c);
            IrValue wBase = m.MulNsw(c, m.I64Const(taps));
            m.For(0, g.OH, oy =>
            {
                m.For(0, g.OW, ox => m.Store(b, acc, ox));
                for (int ky = 0; ky < g.KH; ky++)
                {
                    IrValue iy = m.AddNsw(m.MulNsw(oy, m.I64Const(g.SH)), m.I64Const((ky * g.DH) - g.PadTop));
                    int row = ky;
                    // Rows outside the input contribute nothing (their centered values are the zero point's, 0).
                    m.If(m.ICmp(IntCompare.Ult, iy, m.I64Const(g.H)), () =>
                    {
                        IrValue rowAt = m.AddNsw(plane, m.MulNsw(iy, m.I64Const(g.W)));
                        for (int kx = 0; kx < g.KW; kx++)
                        {
                            (int first, int end) = g.ColumnsOfTap(kx);
                            IrValue wv = m.Load(w, m.AddNsw(wBase, m.I64Const((row * g.KW) + kx)));
                            int offset = (kx * g.DW) - g.PadLeft;
                            m.For(first, end, ox =>
                            {
                                IrValue ix = m.AddNsw(m.MulNsw(ox, m.I64Const(g.SW)), m.I64Const(offset));
                                IrValue xv = m.Sub(m.Extend(m.Load(x, m.AddNsw(rowAt, ix)), m.I32, X == KernelElement.Int8), xZero);
                                m.Store(m.Add(m.Load(acc, ox), m.Mul(xv, wv)), acc, ox);
                            });
                        }
                    });
                }
                IrValue outRow = m.AddNsw(outPlane, m.MulNsw(oy, m.I64Const(g.OW)));
                m.For(0, g.OW, ox =>
                {
                    IrValue v = m.FMul(m.SIToFP(m.Load(acc, ox), m.F32), s);
                    IrValue q = m.Add(ElementwiseKernel.RoundToInt(m, "llvm.rint.f32", v, lo, hi), yZero);
                    m.Store(m.Trunc(q, m.I8), y, m.AddNsw(outRow, ox));
                });
            });
        }));
        m.EndFunction();
    }
}
