using Vta.Hardware.Config;

namespace Vta.Compiler.Resources;

/// <summary>A configuration's estimated use of one device: blocks in the device's own primitive, and whether it fits.</summary>
public sealed record DeviceFit(FpgaDevice Device, int MemoryBlocks, int Dsps, int Luts, int FlipFlops)
{
    public double MemoryShare => (double)MemoryBlocks / Device.MemoryBlocks;

    public double DspShare => (double)Dsps / Device.Dsps;

    public double LutShare => (double)Luts / Device.Luts;

    public double FlipFlopShare => (double)FlipFlops / Device.FlipFlops;

    /// <summary>The binding resource's share of the device: the design fits while this is at most 1.</summary>
    public double Utilization => Math.Max(Math.Max(MemoryShare, DspShare), Math.Max(LutShare, FlipFlopShare));

    public bool Fits => Utilization <= 1.0;

    /// <summary>The resource that binds (memory, dsp, lut or ff).</summary>
    public string Binding =>
        Utilization == MemoryShare ? Device.Memory.Name.ToLowerInvariant() : Utilization == DspShare ? "dsp" : Utilization == LutShare ? "lut" : "ff";
}

/// <summary>
/// Estimated FPGA resources of a VTA configuration. Block RAM and DSPs follow from the design's structure
/// (<see cref="BlockRamModel.VtaMemories"/>; one int8 multiplier per GEMM lane, BATCH × BLOCK_IN × BLOCK_OUT of them).
/// LUTs and flip-flops come from a linear model whose constants are estimates (no VTA utilization report was available
/// to fit them): a fixed part for fetch/load/compute/store control and the five AXI masters, a part per GEMM lane (the
/// 8-bit products' adder tree and pipeline registers), a part per ALU lane (32-bit min/max/add/shift and muxes) and a
/// part per bit of SRAM port width (HLS's read_tensor/write_tensor packing and muxing). docs/sweeps.md states the limits.
/// </summary>
public static class ResourceModel
{
    /// <summary>Control, queues' glue, AXI-lite and the five AXI masters. [estimate]</summary>
    public const int BaseLuts = 10_000;

    /// <summary>[estimate]</summary>
    public const int BaseFlipFlops = 12_000;

    /// <summary>Adder-tree share per int8 product: a ~17-bit carry-chain adder level plus operand routing. [estimate]</summary>
    public const int LutsPerMac = 20;

    /// <summary>Pipeline registers per product (HLS pipelines the tree at II=1). [estimate]</summary>
    public const int FlipFlopsPerMac = 24;

    /// <summary>A 32-bit ALU lane: comparator, adder, barrel shifter, result mux. [estimate]</summary>
    public const int LutsPerAluLane = 200;

    /// <summary>[estimate]</summary>
    public const int FlipFlopsPerAluLane = 100;

    /// <summary>Per bit of INP + WGT + 2×ACC + OUT port width: packing and write muxes. [estimate]</summary>
    public const int LutsPerPortBit = 1;

    /// <summary>[estimate]</summary>
    public const int FlipFlopsPerPortBit = 1;

    /// <summary>int8 × int8 multipliers of the GEMM array.</summary>
    public static int Macs(VtaConfig config) => config.Batch * config.BlockIn * config.BlockOut;

    public static int AluLanes(VtaConfig config) => config.Batch * config.BlockOut;

    /// <summary>Bits read or written per cycle at the SRAM ports (ACC counts twice: read and written every uop).</summary>
    public static int PortBits(VtaConfig config) => config.InpElemBits + config.WgtElemBits + 2 * config.AccElemBits + config.OutElemBits;

    public static int Luts(VtaConfig config) =>
        BaseLuts + LutsPerMac * Macs(config) + LutsPerAluLane * AluLanes(config) + LutsPerPortBit * PortBits(config);

    public static int FlipFlops(VtaConfig config) =>
        BaseFlipFlops + FlipFlopsPerMac * Macs(config) + FlipFlopsPerAluLane * AluLanes(config) + FlipFlopsPerPortBit * PortBits(config);

    /// <summary>Memory blocks of <paramref name="primitive"/> over every VTA memory.</summary>
    public static int MemoryBlocks(VtaConfig config, MemoryPrimitive primitive) =>
        BlockRamModel.VtaMemories(config).Sum(m => BlockRamModel.Blocks(m, primitive));

    public static int Dsps(VtaConfig config, int multipliersPerDsp) => (Macs(config) + multipliersPerDsp - 1) / multipliersPerDsp;

    public static DeviceFit Fit(VtaConfig config, FpgaDevice device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceFit(device, MemoryBlocks(config, device.Memory), Dsps(config, device.Int8MultipliersPerDsp), Luts(config), FlipFlops(config));
    }
}
