using Vta.Hardware.Config;

namespace Vta.Sim;

/// <summary>
/// A shadow of the WGT SRAM transposed for the vector GEMM kernels: for weight element w, channel pair p and output o,
/// <c>Pairs[(w · BLOCK_IN/2 + p) · BLOCK_OUT + o]</c> holds WGT[w][o][2p] in its low int16 and WGT[w][o][2p+1] in its
/// high int16. A broadcast of the input pair (INP[2p], INP[2p+1]) then meets eight outputs in one pmaddwd, so a uop needs
/// no horizontal sums. Kept current on every WGT load; rebuilt whole if someone wrote the SRAM directly.
/// </summary>
internal sealed class WgtPairBuffer
{
    private readonly int _blockIn;
    private readonly int _blockOut;
    private bool _allStale;

    public WgtPairBuffer(VtaConfig config)
    {
        _blockIn = config.BlockIn;
        _blockOut = config.BlockOut;
        ElemInts = config.BlockIn / 2 * config.BlockOut;
        Pairs = new int[config.WgtBuffDepth * ElemInts];
    }

    /// <summary>Ints per weight element (BLOCK_IN/2 · BLOCK_OUT).</summary>
    public int ElemInts { get; }

    public int[] Pairs { get; }

    public void InvalidateAll() => _allStale = true;

    /// <summary>Rebuilds everything if the SRAM was exposed for writing since the last rebuild.</summary>
    public void EnsureCurrent(sbyte[] wgt)
    {
        if (_allStale)
        {
            _allStale = false;
            Update(wgt, 0, Pairs.Length / ElemInts);
        }
    }

    /// <summary>Re-derives elements [first, first + count) from the WGT SRAM.</summary>
    public void Update(sbyte[] wgt, int first, int count)
    {
        int elemBytes = _blockIn * _blockOut;
        for (int e = first; e < first + count; e++)
        {
            var src = wgt.AsSpan(e * elemBytes, elemBytes);
            var dst = Pairs.AsSpan(e * ElemInts, ElemInts);
            for (int o = 0; o < _blockOut; o++)
            {
                var row = src.Slice(o * _blockIn, _blockIn);
                for (int p = 0; p < _blockIn / 2; p++)
                {
                    uint lo = (ushort)row[2 * p];
                    uint hi = (ushort)row[(2 * p) + 1];
                    dst[(p * _blockOut) + o] = (int)(lo | (hi << 16));
                }
            }
        }
    }
}
