using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>Shifts and masks of the three micro-op fields, precomputed so UOP loads decode without dictionary lookups.</summary>
internal readonly record struct UopFields(int DstShift, uint DstMask, int SrcShift, uint SrcMask, int WgtShift, uint WgtMask)
{
    public static UopFields For(VtaConfig config)
    {
        var f = config.Layout.Uop;
        var dst = f["dst_idx"];
        var src = f["src_idx"];
        var wgt = f["wgt_idx"];
        return new UopFields(dst.Start, (uint)dst.MaxValue, src.Start, (uint)src.MaxValue, wgt.Start, (uint)wgt.MaxValue);
    }

    public Uop Decode(uint word) => new(
        (int)((word >> DstShift) & DstMask),
        (int)((word >> SrcShift) & SrcMask),
        (int)((word >> WgtShift) & WgtMask));
}
