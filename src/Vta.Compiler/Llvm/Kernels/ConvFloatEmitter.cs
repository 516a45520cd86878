namespace Vta.Compiler.Llvm.Kernels;

/// <summary>The IR of <see cref="ConvFloatKernel"/>: the padded phase-split input, and the register-blocked micro-kernel.</summary>
internal sealed class ConvFloatEmitter(ConvFloatKernel k, IrModule m, IrValue x, IrValue w, IrValue bias, IrValue y, IrValue scratch)
{
    private readonly Dictionary<(int, int), IrValue[]> _accumulators = [];

    private WindowGeometry G => k.Window;

    /// <summary>scratch[ic][phase][row][col] = x[n][ic][row - padTop][col·SW + phase - padLeft], zero outside.</summary>
    public void FillScratch(IrValue n)
    {
        int rows = k.ScratchRows, cols = k.ScratchColumns;
        IrValue zero = m.F32Const(0);
        int rowLo = Math.Clamp(G.PadTop, 0, rows), rowHi = Math.Clamp(G.PadTop + G.H, rowLo, rows);
        m.For(0, k.Channels, ic =>
        {
            for (int p = 0; p < G.SW; p++)
            {
                IrValue plane = m.MulNsw(m.AddNsw(m.MulNsw(ic, m.I64Const(G.SW)), m.I64Const(p)), m.I64Const((long)rows * cols));
                void ZeroRow(IrValue r) => m.For(0, cols, c => m.Store(zero, scratch, m.AddNsw(m.AddNsw(plane, m.MulNsw(r, m.I64Const(cols))), c)));
                // Columns j whose source column j·SW + p - padLeft lies in [0, W).
                int colLo = Math.Clamp((G.PadLeft - p + G.SW - 1) / G.SW, 0, cols);
                int colHi = Math.Clamp(((G.W - 1 + G.PadLeft - p) / G.SW) + 1, colLo, cols);
                int phase = p;
                m.For(0, rowLo, ZeroRow);
                m.For(rowLo, rowHi, r =>
                {
                    IrValue dst = m.AddNsw(plane, m.MulNsw(r, m.I64Const(cols)));
                    IrValue srcRow = m.MulNsw(m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(n, m.I64Const(k.Channels)), ic), m.I64Const(G.H)),
                        m.AddNsw(r, m.I64Const(-G.PadTop))), m.I64Const(G.W));
                    m.For(0, colLo, c => m.Store(zero, scratch, m.AddNsw(dst, c)));
                    m.For(colLo, colHi, c =>
                    {
                        IrValue src = m.AddNsw(srcRow, m.AddNsw(m.MulNsw(c, m.I64Const(G.SW)), m.I64Const(phase - G.PadLeft)));
                        m.Store(m.Load(x, src), scratch, m.AddNsw(dst, c));
                    });
                    m.For(colHi, cols, c => m.Store(zero, scratch, m.AddNsw(dst, c)));
                });
                m.For(rowHi, rows, ZeroRow);
            }
        });
    }

    /// <summary>Output channels [ob·OB, ob·OB + OB) × columns [ox0, ox0 + vectors·lanes) of row oy.</summary>
    public void Block(IrValue n, IrValue oy, IrValue ob, IrValue ox0, int vectors, int lanes)
    {
        int block = k.Block;
        IrType type = lanes == 1 ? m.F32 : IrModule.Vector(m.F32, lanes);
        IrValue[] acc = Accumulators(vectors, lanes, type);
        for (int j = 0; j < block; j++)
        {
            IrValue b = Broadcast(m.Load(bias, m.AddNsw(m.MulNsw(ob, m.I64Const(block)), m.I64Const(j))), lanes);
            for (int v = 0; v < vectors; v++)
            {
                m.Store(b, acc[(j * vectors) + v]);
            }
        }
        m.For(0, k.Channels, ic => m.For(0, G.KH, ky =>
        {
            IrValue row = m.AddNsw(m.MulNsw(oy, m.I64Const(G.SH)), ky);
            IrValue wBase = m.MulNsw(m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(ob, m.I64Const(k.Channels)), ic), m.I64Const(G.KH)), ky),
                m.I64Const((long)G.KW * block));
            for (int kx = 0; kx < G.KW; kx++)
            {
                IrValue plane = m.AddNsw(m.MulNsw(ic, m.I64Const(G.SW)), m.I64Const(kx % G.SW));
                IrValue start = m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(plane, m.I64Const(k.ScratchRows)), row), m.I64Const(k.ScratchColumns)),
                    m.AddNsw(ox0, m.I64Const(kx / G.SW)));
                IrValue[] xs = new IrValue[vectors];
                for (int v = 0; v < vectors; v++)
                {
                    IrValue at = m.Gep(scratch, m.AddNsw(start, m.I64Const((long)v * lanes)));
                    xs[v] = lanes == 1 ? m.Load(at) : m.LoadVector(at, lanes);
                }
                for (int j = 0; j < block; j++)
                {
                    IrValue wj = Broadcast(m.Load(w, m.AddNsw(wBase, m.I64Const((kx * block) + j))), lanes);
                    for (int v = 0; v < vectors; v++)
                    {
                        IrValue slot = acc[(j * vectors) + v];
                        m.Store(MultiplyAdd(xs[v], wj, m.Load(slot), type, lanes), slot);
                    }
                }
            }
        }));
        for (int j = 0; j < block; j++)
        {
            IrValue channel = m.AddNsw(m.MulNsw(ob, m.I64Const(block)), m.I64Const(j));
            IrValue rowStart = m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(n, m.I64Const(k.OutChannels)), channel), m.I64Const(G.OH)), oy),
                m.I64Const(G.OW)), ox0);
            for (int v = 0; v < vectors; v++)
            {
                IrValue value = Activation(m.Load(acc[(j * vectors) + v]), lanes);
                IrValue at = m.Gep(y, m.AddNsw(rowStart, m.I64Const((long)v * lanes)));
                if (lanes == 1)
                {
                    m.Store(value, at);
                }
                else
                {
                    m.StoreVector(value, at);
                }
            }
        }
    }

    private IrValue MultiplyAdd(IrValue a, IrValue b, IrValue acc, IrType type, int lanes)
    {
        if (!k.Fused)
        {
            return m.FAdd(acc, m.FMul(b, a));
        }
        string name = lanes == 1 ? "llvm.fmuladd.f32" : $"llvm.fmuladd.v{lanes}f32";
        return m.Call(name, type, a, b, acc);
    }

    private IrValue Activation(IrValue value, int lanes)
    {
        if (float.IsNegativeInfinity(k.Min) && float.IsPositiveInfinity(k.Max))
        {
            return value;
        }
        return m.FClamp(value, Broadcast(m.F32Const(k.Min), lanes), Broadcast(m.F32Const(k.Max), lanes));
    }

    private IrValue Broadcast(IrValue scalar, int lanes) => lanes == 1 ? scalar : m.Splat(scalar, lanes);

    /// <summary>One stack slot per accumulator, shared by blocks of the same shape; SROA turns them into registers.</summary>
    private IrValue[] Accumulators(int vectors, int lanes, IrType type)
    {
        if (!_accumulators.TryGetValue((vectors, lanes), out IrValue[]? slots))
        {
            slots = Enumerable.Range(0, k.Block * vectors).Select(_ => m.Alloca(type, 1)).ToArray();
            _accumulators[(vectors, lanes)] = slots;
        }
        return slots;
    }
}
