namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// TFLite-quantized depthwise conv2d (multiplier 1) on NHWC 8-bit data. Arguments: x [N,H,W,C] (int8 or uint8),
/// w [KH*KW, C] int16 holding (w - weight zero point), p int32 [bias C | multiplier C | shift C | x zp, y zp, min, max],
/// y [N,OH,OW,C]. Per output pixel the channel loop is innermost (the loop vectorizer widens it); interior pixels
/// have every tap unrolled and unchecked, border pixels skip taps outside the input as the managed kernel does.
/// </summary>
public sealed class DepthwiseConvQ8Kernel(int batch, int channels, WindowGeometry window, bool inSigned, bool outSigned) : KernelDefinition
{
    public int Batch { get; } = batch;

    public int Channels { get; } = channels;

    public WindowGeometry Window { get; } = window;

    public bool InSigned { get; } = inSigned;

    public bool OutSigned { get; } = outSigned;

    public override string Kind => "dwconv_q8";

    public override string Description =>
        $"n{Batch} c{Channels} {Window} {(InSigned ? "i8" : "u8")}->{(OutSigned ? "i8" : "u8")}";

    public override int Arity => 4;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] args = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I16), IrModule.Pointer(m.I32), IrModule.Pointer(m.I8));
        Emitter e = new(this, m, args);
        WindowGeometry g = Window;
        (int rowLo, int rowHi) = g.InteriorRows;
        (int colLo, int colHi) = g.InteriorColumns;
        m.For(0, Batch, n =>
        {
            m.For(0, rowLo, oy => m.For(0, g.OW, ox => e.BorderPixel(n, oy, ox)));
            m.For(rowLo, rowHi, oy =>
            {
                m.For(0, colLo, ox => e.BorderPixel(n, oy, ox));
                m.For(colLo, colHi, ox => e.InteriorPixel(n, oy, ox));
                m.For(colHi, g.OW, ox => e.BorderPixel(n, oy, ox));
            });
            m.For(rowHi, g.OH, oy => m.For(0, g.OW, ox => e.BorderPixel(n, oy, ox)));
        });
        m.EndFunction();
    }

    private sealed class Emitter
    {
        private readonly DepthwiseConvQ8Kernel _k;
        private readonly IrModule _m;
        private readonly IrValue _x, _w, _y, _bias, _multiplier, _shift, _xZero, _yZero, _min, _max, _acc;

        public Emitter(DepthwiseConvQ8Kernel kernel, IrModule m, IrValue[] args)
        {
            (_k, _m) = (kernel, m);
            (_x, _w, _y) = (args[0], args[1], args[3]);
            int c = kernel.Channels;
            _bias = args[2];
            _multiplier = m.Gep(args[2], c);
            _shift = m.Gep(args[2], 2L * c);
            IrValue q = m.Gep(args[2], 3L * c);
            (_xZero, _yZero, _min, _max) = (m.Load(q, m.I64Const(0)), m.Load(q, m.I64Const(1)), m.Load(q, m.I64Const(2)), m.Load(q, m.I64Const(3)));
            _acc = m.Alloca(m.I32, c);
        }

        private long C => _k.Channels;

        /// <summary>Every tap inside the input: one channel loop with the taps unrolled, accumulator in a register.</summary>
        public void InteriorPixel(IrValue n, IrValue oy, IrValue ox)
        {
            WindowGeometry g = _k.Window;
            List<IrValue> bases = [];
            for (int ky = 0; ky < g.KH; ky++)
            {
                for (int kx = 0; kx < g.KW; kx++)
                {
                    bases.Add(InputOffset(n, InputRow(oy, ky), InputColumn(ox, kx)));
                }
            }
            IrValue outBase = OutputOffset(n, oy, ox);
            _m.For(0, C, c =>
            {
                IrValue acc = _m.Load(_bias, c);
                for (int t = 0; t < bases.Count; t++)
                {
                    acc = _m.Add(acc, Term(bases[t], t, c));
                }
                StoreRequantized(acc, outBase, c);
            });
        }

        /// <summary>Some taps outside the input: accumulate tap by tap into a stack row, skipping the outside taps.</summary>
        public void BorderPixel(IrValue n, IrValue oy, IrValue ox)
        {
            WindowGeometry g = _k.Window;
            _m.For(0, C, c => _m.Store(_m.Load(_bias, c), _acc, c));
            for (int ky = 0; ky < g.KH; ky++)
            {
                for (int kx = 0; kx < g.KW; kx++)
                {
                    int tap = (ky * g.KW) + kx;
                    IrValue iy = InputRow(oy, ky), ix = InputColumn(ox, kx);
                    IrValue inside = _m.And(
                        _m.And(_m.ICmp(IntCompare.Sge, iy, _m.I64Const(0)), _m.ICmp(IntCompare.Slt, iy, _m.I64Const(g.H))),
                        _m.And(_m.ICmp(IntCompare.Sge, ix, _m.I64Const(0)), _m.ICmp(IntCompare.Slt, ix, _m.I64Const(g.W))));
                    _m.If(inside, () =>
                    {
                        IrValue inBase = InputOffset(n, iy, ix);
                        _m.For(0, C, c => _m.Store(_m.Add(_m.Load(_acc, c), Term(inBase, tap, c)), _acc, c));
                    });
                }
            }
            IrValue outBase = OutputOffset(n, oy, ox);
            _m.For(0, C, c => StoreRequantized(_m.Load(_acc, c), outBase, c));
        }

        /// <summary>(x - x zero point) * (w - w zero point) for one tap and channel, in wrapping i32.</summary>
        private IrValue Term(IrValue inBase, int tap, IrValue c)
        {
            IrValue x = _m.Extend(_m.Load(_x, _m.AddNsw(inBase, c)), _m.I32, _k.InSigned);
            IrValue w = _m.SExt(_m.Load(_w, _m.AddNsw(_m.I64Const(tap * C), c)), _m.I32);
            return _m.Mul(_m.Sub(x, _xZero), w);
        }

        private void StoreRequantized(IrValue acc, IrValue outBase, IrValue c)
        {
            IrValue v = FixedPointIr.Requantize(_m, acc, _m.Load(_multiplier, c), _m.Load(_shift, c), _yZero, _min, _max);
            _m.Store(_m.Trunc(v, _m.I8), _y, _m.AddNsw(outBase, c));
        }

        private IrValue InputRow(IrValue oy, int ky)
        {
            WindowGeometry g = _k.Window;
            return _m.AddNsw(_m.MulNsw(oy, _m.I64Const(g.SH)), _m.I64Const((ky * g.DH) - g.PadTop));
        }

        private IrValue InputColumn(IrValue ox, int kx)
        {
            WindowGeometry g = _k.Window;
            return _m.AddNsw(_m.MulNsw(ox, _m.I64Const(g.SW)), _m.I64Const((kx * g.DW) - g.PadLeft));
        }

        private IrValue InputOffset(IrValue n, IrValue iy, IrValue ix)
        {
            WindowGeometry g = _k.Window;
            IrValue row = _m.AddNsw(_m.MulNsw(n, _m.I64Const(g.H)), iy);
            return _m.MulNsw(_m.AddNsw(_m.MulNsw(row, _m.I64Const(g.W)), ix), _m.I64Const(C));
        }

        private IrValue OutputOffset(IrValue n, IrValue oy, IrValue ox)
        {
            WindowGeometry g = _k.Window;
            IrValue row = _m.AddNsw(_m.MulNsw(n, _m.I64Const(g.OH)), oy);
            return _m.MulNsw(_m.AddNsw(_m.MulNsw(row, _m.I64Const(g.OW)), ox), _m.I64Const(C));
        }
    }
}
