namespace Vta.Sim;

/// <summary>
/// The per-port DRAM base registers of the Pynq register map (load: inp, wgt; compute: uop, acc; store: out).
/// A LOAD of type T with dram_base d reads byte address base_T + d × ELEM_BYTES(T); ACC_8BIT uses the acc base.
/// TVM's runtime sets all of them to 0 and encodes physical addresses in dram_base.
/// </summary>
public sealed record PortBases(uint Uop, uint Inp, uint Wgt, uint Acc, uint Out)
{
    public static PortBases Zero { get; } = new(0, 0, 0, 0, 0);
}
