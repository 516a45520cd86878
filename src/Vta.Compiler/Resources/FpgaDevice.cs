namespace Vta.Compiler.Resources;

/// <summary>One depth × width shape a block-RAM primitive can take.</summary>
public readonly record struct RamShape(int Depth, int Width)
{
    public override string ToString() => $"{Depth}×{Width}";
}

/// <summary>An FPGA's block-RAM primitive and the shapes one block can be configured as.</summary>
public sealed record MemoryPrimitive(string Name, IReadOnlyList<RamShape> Shapes)
{
    /// <summary>
    /// Xilinx RAMB18 (7 series RAMB18E1, UltraScale+ RAMB18E2): 16K×1, 8K×2, 4K×4, 2K×9, 1K×18, 512×36 (UG473 / UG573).
    /// 512×36 exists only in simple-dual-port mode; see docs/sweeps.md for what that means for VTA's true-dual-port SRAMs.
    /// </summary>
    public static MemoryPrimitive Bram18 { get; } = new("BRAM18",
        [new(16384, 1), new(8192, 2), new(4096, 4), new(2048, 9), new(1024, 18), new(512, 36)]);

    /// <summary>Intel Cyclone V M10K: 8K×1, 4K×2, 2K×5, 1K×10, 512×20, 256×40 (Cyclone V handbook, embedded memory configurations).</summary>
    public static MemoryPrimitive M10K { get; } = new("M10K",
        [new(8192, 1), new(4096, 2), new(2048, 5), new(1024, 10), new(512, 20), new(256, 40)]);
}

/// <summary>
/// A target FPGA's capacities in the units the resource model counts. <see cref="Int8MultipliersPerDsp"/> is how many
/// int8 × int8 products one DSP block computes per cycle; <see cref="Luts"/> counts ALMs on Intel parts (one ALM holds
/// one 6-input function, the closest unit to a Xilinx LUT6).
/// </summary>
public sealed record FpgaDevice(
    string Name,
    string Part,
    string Family,
    MemoryPrimitive Memory,
    int MemoryBlocks,
    int Dsps,
    int Int8MultipliersPerDsp,
    int Luts,
    int FlipFlops,
    string Source)
{
    /// <summary>
    /// The devices of TVM's targets. Packing: Xilinx documents two int8 products sharing one operand per DSP48E2 (WP486);
    /// the same packing fits DSP48E1's 25×18 multiplier with a 16-bit offset (an estimate: no guard bits, so the products
    /// are summed outside the DSP, as VTA's adder tree does anyway). A Cyclone V variable-precision DSP block has three
    /// independent 9×9 multipliers.
    /// </summary>
    public static IReadOnlyList<FpgaDevice> All { get; } =
    [
        new("xc7z020", "xc7z020clg484-1", "zynq-7000", MemoryPrimitive.Bram18, 280, 220, 2, 53_200, 106_400,
            "Zynq-7000 product table (DS190): 140 BRAM36 = 280 BRAM18, 220 DSP48E1, 53,200 LUTs, 106,400 FFs"),
        new("xczu3eg", "xczu3eg-sbva484-1-e", "zynq-ultrascale+", MemoryPrimitive.Bram18, 432, 360, 2, 70_560, 141_120,
            "Zynq UltraScale+ product table (DS891): 216 BRAM36 = 432 BRAM18, 360 DSP48E2, 70,560 LUTs, 141,120 FFs"),
        new("xczu7ev", "xczu7ev-ffvc1156-2-e", "zynq-ultrascale+", MemoryPrimitive.Bram18, 624, 1_728, 2, 230_400, 460_800,
            "Vivado report_utilization 'Available' for xczu7ev-ffvc1156-2-e: 312 BRAM36 = 624 BRAM18 (96 URAM not modelled), 1,728 DSP48E2, 230,400 LUTs, 460,800 FFs"),
        new("5cseba6", "5CSEBA6U23I7", "cyclone-v", MemoryPrimitive.M10K, 553, 112, 3, 41_910, 167_640,
            "Quartus fitter summary for 5CSEBA6U23I7: 553 M10K, 112 DSP blocks, 41,910 ALMs; registers = 4 per ALM"),
    ];

    /// <summary>The device TVM's pkg_config.py builds <paramref name="target"/> for (others take the pynq branch).</summary>
    public static FpgaDevice ForTarget(string target) => target switch
    {
        "ultra96" => Find("xczu3eg"),
        "zcu104" => Find("xczu7ev"),
        "de10nano" => Find("5cseba6"),
        _ => Find("xc7z020"),
    };

    /// <summary>A device by short name or part number, case-insensitive; throws <see cref="FormatException"/> naming the known ones.</summary>
    public static FpgaDevice Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(d.Part, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new FormatException($"unknown FPGA device '{name}' (known: {string.Join(", ", All.Select(d => d.Name))})");
}
