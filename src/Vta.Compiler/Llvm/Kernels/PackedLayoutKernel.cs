namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// 8-bit NHWC ↔ VTA's NCHW{b}n{c}c (⌈N/b⌉, ⌈C/c⌉, H, W, b, c), as <see cref="Layout.PackedLayout"/> lays it out;
/// packing zero-fills the missing batch rows and channels, unpacking drops them. Arguments: source, destination.
/// The channel loop of a block is innermost and contiguous on both sides.
/// </summary>
public sealed class PackedLayoutKernel(int batch, int channels, int height, int width, int batchBlock, int channelBlock, bool pack) : KernelDefinition
{
    public int Batch { get; } = batch;

    public int Channels { get; } = channels;

    public int Height { get; } = height;

    public int Width { get; } = width;

    public int BatchBlock { get; } = batchBlock;

    public int ChannelBlock { get; } = channelBlock;

    public bool Pack { get; } = pack;

    public override string Kind => Pack ? "pack_nhwc" : "unpack_nhwc";

    public override string Description => $"n{Batch} c{Channels} h{Height} w{Width} b{BatchBlock} c{ChannelBlock}";

    public override int Arity => 2;

    public override void Emit(IrModule m, CodeTarget target)
    {
        IrValue[] a = m.BeginFunction(Symbol, IrModule.Pointer(m.I8), IrModule.Pointer(m.I8));
        (IrValue src, IrValue dst) = (a[0], a[1]);
        int nb = (Batch + BatchBlock - 1) / BatchBlock, cb = (Channels + ChannelBlock - 1) / ChannelBlock;
        int fullBlocks = Channels / ChannelBlock, tail = Channels - (fullBlocks * ChannelBlock);
        IrValue zero = m.Const(m.I8, 0);
        m.For(0, (long)nb * BatchBlock, n => m.For(0, Height, h => m.For(0, Width, w => m.For(0, cb, blk =>
        {
            // Packed element (n / b, blk, h, w, n % b, ci); NHWC element (n, h, w, blk·c + ci).
            IrValue outer = m.AddNsw(m.MulNsw(m.SDiv(n, m.I64Const(BatchBlock)), m.I64Const(cb)), blk);
            IrValue pixel = m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(outer, m.I64Const(Height)), h), m.I64Const(Width)), w);
            IrValue packedBase = m.MulNsw(m.AddNsw(m.MulNsw(pixel, m.I64Const(BatchBlock)), m.Sub(n, m.MulNsw(m.SDiv(n, m.I64Const(BatchBlock)), m.I64Const(BatchBlock)))),
                m.I64Const(ChannelBlock));
            IrValue plainBase = m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(m.AddNsw(m.MulNsw(n, m.I64Const(Height)), h), m.I64Const(Width)), w), m.I64Const(Channels)),
                m.MulNsw(blk, m.I64Const(ChannelBlock)));
            IrValue realRow = m.ICmp(IntCompare.Slt, n, m.I64Const(Batch));
            // Channels of this block that exist: c, or the tail in the last block; none in padded batch rows.
            IrValue present = m.Select(m.ICmp(IntCompare.Slt, blk, m.I64Const(fullBlocks)), m.I64Const(ChannelBlock), m.I64Const(tail));
            present = m.Select(realRow, present, m.I64Const(0));
            m.For(m.I64Const(0), present, ci =>
            {
                if (Pack)
                {
                    m.Store(m.Load(src, m.AddNsw(plainBase, ci)), dst, m.AddNsw(packedBase, ci));
                }
                else
                {
                    m.Store(m.Load(src, m.AddNsw(packedBase, ci)), dst, m.AddNsw(plainBase, ci));
                }
            });
            if (Pack)
            {
                m.For(present, m.I64Const(ChannelBlock), ci => m.Store(zero, dst, m.AddNsw(packedBase, ci)));
            }
        }))));
        m.EndFunction();
    }
}
