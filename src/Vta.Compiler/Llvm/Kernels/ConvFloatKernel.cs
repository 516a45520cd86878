namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// Float conv2d, NCHW, one group, no dilation (the first conv of ResNet). Arguments: x [N,C,H,W], w packed
/// [O/OB][C][KH][KW][OB], bias [O], y [N,O,OH,OW], scratch [C][SW][rows][cols] for the zero-padded input split into
/// stride phases, which makes every tap's input row contiguous in ox. The micro-kernel keeps OB output channels x NV
/// SIMD vectors of ox in registers across all C·KH·KW taps; each output sums bias then taps in (ic, ky, kx) order, as
/// the managed kernel does (with <see cref="Fused"/> LLVM may fuse each multiply-add into one rounding).
/// </summary>
public sealed class ConvFloatKernel(int batch, int channels, int outChannels, WindowGeometry window, float min, float max, int lanes, bool fused)
    : KernelDefinition
{
    public int Batch { get; } = batch;

    public int Channels { get; } = channels;

    public int OutChannels { get; } = outChannels;

    public WindowGeometry Window { get; } = window;

    public float Min { get; } = min;

    public float Max { get; } = max;

    /// <summary>SIMD lanes of the micro-kernel (16 on AVX-512, 8 on AVX, 4 on NEON).</summary>
    public int Lanes { get; } = lanes;

    /// <summary>Whether llvm.fmuladd may fuse (faster; within 1e-5 of the managed kernel instead of bit-equal).</summary>
    public bool Fused { get; } = fused;

    /// <summary>Output channels per register block.</summary>
    public int Block => OutChannels % 4 == 0 ? 4 : OutChannels % 2 == 0 ? 2 : 1;

    /// <summary>Vectors of output columns per register block.</summary>
    public int VectorsPerBlock => 3;

    public int ScratchRows => ((Window.OH - 1) * Window.SH) + Window.KH;

    public int ScratchColumns => ((((Window.OW - 1) * Window.SW) + Window.KW) + Window.SW - 1) / Window.SW;

    /// <summary>Floats the scratch buffer needs.</summary>
    public int ScratchLength => Channels * Window.SW * ScratchRows * ScratchColumns;

    public override string Kind => "conv_f32";

    public override string Description =>
        $"n{Batch} c{Channels} o{OutChannels} {Window} clamp{Min}..{Max} v{Lanes}{(Fused ? " fma" : string.Empty)}";

    public override int Arity => 5;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrType f32p = IrModule.Pointer(m.F32);
        IrValue[] a = m.BeginFunction(Symbol, f32p, f32p, f32p, f32p, f32p);
        ConvFloatEmitter e = new(this, m, a[0], a[1], a[2], a[3], a[4]);
        WindowGeometry g = Window;
        int wide = VectorsPerBlock * Lanes;
        int wideBlocks = g.OW / wide;
        int singles = (g.OW - (wideBlocks * wide)) / Lanes;
        int scalarStart = (wideBlocks * wide) + (singles * Lanes);
        m.For(0, Batch, n =>
        {
            e.FillScratch(n);
            m.For(0, g.OH, oy => m.For(0, OutChannels / Block, ob =>
            {
                m.For(0, wideBlocks, xb => e.Block(n, oy, ob, m.MulNsw(xb, m.I64Const(wide)), VectorsPerBlock, Lanes));
                m.For(0, singles, xs => e.Block(n, oy, ob, m.AddNsw(m.I64Const(wideBlocks * wide), m.MulNsw(xs, m.I64Const(Lanes))), 1, Lanes));
                m.For(scalarStart, g.OW, ox => e.Block(n, oy, ob, ox, 1, 1));
            }));
        });
        m.EndFunction();
    }
}
