using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>Element types the pooling, layout and requantize kernels handle.</summary>
public enum KernelElement
{
    Float32,
    Int8,
    UInt8,
}

/// <summary>
/// Max and average pooling (and global average pooling as a whole-plane window), NHWC or NCHW, float or 8-bit.
/// Arguments: x, y, p (int32: min, max, average mode, x zp, y zp, then per window count 1..KH·KW a multiplier and a
/// shift). Per output pixel the window is clipped at run time and a row of channel accumulators (double for float,
/// as the managed kernel sums in double; int32 for integers) is updated tap by tap with the channel loop innermost.
/// Integer averages: mode 0 rounds sum/count half away from zero, mode 1 requantizes (TFLite, other output params).
/// </summary>
public sealed class PoolKernel(DataLayout layout, int batch, int channels, WindowGeometry window, int padBottom, int padRight,
    bool isMax, bool countIncludePad, KernelElement element, float min, float max) : KernelDefinition
{
    public DataLayout Layout { get; } = layout;

    public int Batch { get; } = batch;

    public int Channels { get; } = channels;

    public WindowGeometry Window { get; } = window;

    public int PadBottom { get; } = padBottom;

    public int PadRight { get; } = padRight;

    public bool IsMax { get; } = isMax;

    public bool CountIncludePad { get; } = countIncludePad;

    public KernelElement Element { get; } = element;

    /// <summary>The float activation clamp (integer kernels clamp with p[0], p[1]).</summary>
    public float Min { get; } = min;

    public float Max { get; } = max;

    public override string Kind => IsMax ? "maxpool" : "avgpool";

    public override string Description =>
        $"{Layout} n{Batch} c{Channels} {Window} pb{PadBottom},{PadRight}{(CountIncludePad ? " incl" : string.Empty)} {Element} clamp{Min}..{Max}";

    public override int Arity => 3;

    public override void Emit(IrModule m, CodeTarget target)
    {
        bool isFloat = Element == KernelElement.Float32;
        IrType e = isFloat ? m.F32 : m.I8;
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(e), IrModule.Pointer(e), IrModule.Pointer(m.I32));
        (IrValue x, IrValue y, IrValue p) = (a[0], a[1], a[2]);
        WindowGeometry g = Window;
        // Float maxima stay in float (exact, twice the lanes); float sums in double, as the managed kernel sums.
        IrType accType = isFloat ? (IsMax ? m.F32 : m.F64) : m.I32;
        IrValue acc = m.Alloca(accType, Channels);
        (IrValue lo, IrValue hi, IrValue mode, IrValue xZero, IrValue yZero) =
            (m.Load(p, m.I64Const(0)), m.Load(p, m.I64Const(1)), m.Load(p, m.I64Const(2)), m.Load(p, m.I64Const(3)), m.Load(p, m.I64Const(4)));
        if (Layout == DataLayout.Nchw && g.OW > 1)
        {
            EmitNchwRows(m, x, y, (lo, hi, mode, xZero, yZero), p, accType);
            m.EndFunction();
            return;
        }

        m.For(0, Batch, n => m.For(0, g.OH, oy => m.For(0, g.OW, ox =>
        {
            IrValue y0 = m.AddNsw(m.MulNsw(oy, m.I64Const(g.SH)), m.I64Const(-g.PadTop));
            IrValue x0 = m.AddNsw(m.MulNsw(ox, m.I64Const(g.SW)), m.I64Const(-g.PadLeft));
            IrValue yEnd = m.AddNsw(y0, m.I64Const(g.KH)), xEnd = m.AddNsw(x0, m.I64Const(g.KW));
            IrValue iy0 = m.SMax(y0, m.I64Const(0)), iy1 = m.SMin(yEnd, m.I64Const(g.H));
            IrValue ix0 = m.SMax(x0, m.I64Const(0)), ix1 = m.SMin(xEnd, m.I64Const(g.W));
            IrValue count = CountIncludePad
                ? m.MulNsw(m.Sub(m.SMin(yEnd, m.I64Const(g.H + PadBottom)), y0), m.Sub(m.SMin(xEnd, m.I64Const(g.W + PadRight)), x0))
                : m.MulNsw(m.Sub(iy1, iy0), m.Sub(ix1, ix0));
            IrValue init = IsMax ? (isFloat ? m.F32Const(float.NegativeInfinity) : m.I32Const(int.MinValue))
                : (isFloat ? m.FloatConst(m.F64, 0) : m.I32Const(0));
            m.For(0, Channels, c => m.Store(init, acc, c));
            m.For(iy0, iy1, iy => m.For(ix0, ix1, ix => m.For(0, Channels, c =>
            {
                IrValue raw = m.Load(x, Offset(m, n, c, iy, ix, g.H, g.W));
                IrValue v = isFloat ? (IsMax ? raw : m.FPExt(raw, m.F64)) : m.Extend(raw, m.I32, Element == KernelElement.Int8);
                IrValue old = m.Load(acc, c);
                IrValue next = !IsMax ? (isFloat ? m.FAdd(old, v) : m.Add(old, v))
                    : isFloat ? m.Select(m.FCmp(FloatCompare.Ogt, v, old), v, old) : m.SMax(old, v);
                m.Store(next, acc, c);
            })));
            (IrValue multiplier, IrValue shift) = Multiplier(m, p, count);
            m.For(0, Channels, c => StoreResult(m, m.Load(acc, c), count, (lo, hi, mode, xZero, yZero), multiplier, shift, y,
                Offset(m, n, c, oy, ox, g.OH, g.OW)));
        })));
        m.EndFunction();
    }

    /// <summary>
    /// NCHW: per (image, channel, output row) a row of OW accumulators is updated tap by tap; each tap's valid output
    /// columns are constants (<see cref="WindowGeometry.ColumnsOfTap"/>), so the column loop is contiguous (stride 1) or
    /// strided, check-free and vectorizable — the channel-innermost loop of NHWC would gather with stride H·W here.
    /// </summary>
    private void EmitNchwRows(IrModule m, IrValue x, IrValue y, (IrValue Lo, IrValue Hi, IrValue Mode, IrValue XZero, IrValue YZero) q,
        IrValue p, IrType accType)
    {
        bool isFloat = Element == KernelElement.Float32;
        WindowGeometry g = Window;
        IrValue acc = m.Alloca(accType, g.OW);
        IrValue init = IsMax ? (isFloat ? m.F32Const(float.NegativeInfinity) : m.I32Const(int.MinValue))
            : (isFloat ? m.FloatConst(m.F64, 0) : m.I32Const(0));
        m.For(0, Batch, n => m.For(0, Channels, c => m.For(0, g.OH, oy =>
        {
            m.For(0, g.OW, ox => m.Store(init, acc, ox));
            IrValue y0 = m.AddNsw(m.MulNsw(oy, m.I64Const(g.SH)), m.I64Const(-g.PadTop));
            IrValue iy0 = m.SMax(y0, m.I64Const(0)), iy1 = m.SMin(m.AddNsw(y0, m.I64Const(g.KH)), m.I64Const(g.H));
            m.For(iy0, iy1, iy =>
            {
                IrValue row = Offset(m, n, c, iy, m.I64Const(0), g.H, g.W);
                for (int kx = 0; kx < g.KW; kx++)
                {
                    (int lo, int hi) = g.ColumnsOfTap(kx);
                    int offset = kx - g.PadLeft;
                    m.For(lo, hi, ox =>
                    {
                        IrValue ix = m.AddNsw(m.MulNsw(ox, m.I64Const(g.SW)), m.I64Const(offset));
                        IrValue raw = m.Load(x, m.AddNsw(row, ix));
                        IrValue v = isFloat ? (IsMax ? raw : m.FPExt(raw, m.F64)) : m.Extend(raw, m.I32, Element == KernelElement.Int8);
                        IrValue old = m.Load(acc, ox);
                        IrValue next = !IsMax ? (isFloat ? m.FAdd(old, v) : m.Add(old, v))
                            : isFloat ? m.Select(m.FCmp(FloatCompare.Ogt, v, old), v, old) : m.SMax(old, v);
                        m.Store(next, acc, ox);
                    });
                }
            });
            IrValue rowCount = CountIncludePad
                ? m.Sub(m.SMin(m.AddNsw(y0, m.I64Const(g.KH)), m.I64Const(g.H + PadBottom)), y0)
                : m.Sub(iy1, iy0);
            m.For(0, g.OW, ox =>
            {
                IrValue x0 = m.AddNsw(m.MulNsw(ox, m.I64Const(g.SW)), m.I64Const(-g.PadLeft));
                IrValue xEnd = m.AddNsw(x0, m.I64Const(g.KW));
                IrValue columns = CountIncludePad
                    ? m.Sub(m.SMin(xEnd, m.I64Const(g.W + PadRight)), x0)
                    : m.Sub(m.SMin(xEnd, m.I64Const(g.W)), m.SMax(x0, m.I64Const(0)));
                IrValue count = m.MulNsw(rowCount, columns);
                (IrValue multiplier, IrValue shift) = Multiplier(m, p, count);
                StoreResult(m, m.Load(acc, ox), count, q, multiplier, shift, y, Offset(m, n, c, oy, ox, g.OH, g.OW));
            });
        })));
    }

    /// <summary>Integer requantized averages: the multiplier for this window's count, from the table after the header.</summary>
    private (IrValue Multiplier, IrValue Shift) Multiplier(IrModule m, IrValue p, IrValue count)
    {
        IrValue tableAt = m.AddNsw(m.I64Const(4), m.MulNsw(m.SMin(m.SMax(count, m.I64Const(1)), m.I64Const(Window.KH * Window.KW)), m.I64Const(2)));
        return (m.Load(p, m.AddNsw(tableAt, m.I64Const(-1))), m.Load(p, tableAt));
    }

    private void StoreResult(IrModule m, IrValue s, IrValue count, (IrValue Lo, IrValue Hi, IrValue Mode, IrValue XZero, IrValue YZero) q,
        IrValue multiplier, IrValue shift, IrValue y, IrValue outAt)
    {
        if (Element == KernelElement.Float32)
        {
            IrValue r = IsMax ? s : m.FPTrunc(m.FDiv(s, m.SIToFP(count, m.F64)), m.F32);
            if (!float.IsNegativeInfinity(Min) || !float.IsPositiveInfinity(Max))
            {
                r = m.FClamp(r, m.F32Const(Min), m.F32Const(Max));
            }
            m.Store(r, y, outAt);
            return;
        }
        IrValue result = IsMax ? s : Average(m, s, m.Trunc(count, m.I32), q.Mode, q.XZero, q.YZero, multiplier, shift);
        m.Store(m.Trunc(m.SClamp(result, q.Lo, q.Hi), m.I8), y, outAt);
    }

    /// <summary>PoolKernels.IntegerAverage: rounded division, or the requantized centered sum.</summary>
    private static IrValue Average(IrModule m, IrValue sum, IrValue count, IrValue mode, IrValue xZero, IrValue yZero, IrValue multiplier, IrValue shift)
    {
        IrValue half = m.SDiv(count, m.I32Const(2));
        IrValue positive = m.ICmp(IntCompare.Sgt, sum, m.I32Const(0));
        IrValue rounded = m.SDiv(m.Select(positive, m.Add(sum, half), m.Sub(sum, half)), count);
        IrValue centered = m.Sub(sum, m.Mul(xZero, count));
        IrValue requantized = m.Add(FixedPointIr.MultiplyByQuantizedMultiplier(m, centered, multiplier, shift), yZero);
        return m.Select(m.ICmp(IntCompare.Eq, mode, m.I32Const(0)), rounded, requantized);
    }

    private IrValue Offset(IrModule m, IrValue n, IrValue c, IrValue row, IrValue col, int h, int w) => Layout == DataLayout.Nhwc
        ? m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(n, m.I64Const(h)), row), m.I64Const(w)), col), m.I64Const(Channels)), c)
        : m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(n, m.I64Const(Channels)), c), m.I64Const(h)), row), m.I64Const(w)), col);
}
