using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// The on-chip buffers, sized by the configuration: INP [depth][BATCH][BLOCK_IN] int8, WGT [depth][BLOCK_OUT][BLOCK_IN]
/// int8, ACC [depth][BATCH][BLOCK_OUT] int32, OUT [ACC depth][BATCH][BLOCK_OUT] int8 (used in Hardware semantics only)
/// and the decoded micro-ops. Reading <see cref="Wgt"/> marks the GEMM kernels' transposed weight copy stale, because the
/// caller may write through the span.
/// </summary>
public sealed class SramBuffers
{
    private readonly sbyte[] _wgt;

    internal SramBuffers(VtaConfig config)
    {
        InpArray = new sbyte[config.InpBuffDepth * config.InpElemBytes];
        _wgt = new sbyte[config.WgtBuffDepth * config.WgtElemBytes];
        AccArray = new int[config.AccBuffDepth * config.Batch * config.BlockOut];
        OutArray = new sbyte[config.OutBuffDepth * config.Batch * config.BlockOut];
        UopArray = new Uop[config.UopBuffDepth];
        WgtPairs = new WgtPairBuffer(config);
    }

    public Span<sbyte> Inp => InpArray;

    /// <summary>
    /// WGT SRAM. Obtaining it invalidates the kernels' shadow copy, which is rebuilt before the next GEMM; so write through
    /// a span obtained after the last GEMM (or obtain it again), never through one kept across a run.
    /// </summary>
    public Span<sbyte> Wgt
    {
        get
        {
            WgtPairs.InvalidateAll();
            return _wgt;
        }
    }

    public Span<int> Acc => AccArray;

    public Span<sbyte> Out => OutArray;

    public Span<Uop> Uops => UopArray;

    internal sbyte[] InpArray { get; }

    internal sbyte[] WgtArray => _wgt;

    internal int[] AccArray { get; }

    internal sbyte[] OutArray { get; }

    internal Uop[] UopArray { get; }

    /// <summary>WGT re-laid out as int16 pairs for the vector GEMM kernels.</summary>
    internal WgtPairBuffer WgtPairs { get; }

    /// <summary>Zeroes every buffer (a fresh device).</summary>
    public void Clear()
    {
        Array.Clear(InpArray);
        Array.Clear(_wgt);
        Array.Clear(AccArray);
        Array.Clear(OutArray);
        Array.Clear(UopArray);
        WgtPairs.InvalidateAll();
    }
}
