using Vta.Hardware.Config;

namespace Vta.Compiler.Resources;

/// <summary>One on-chip memory of the design: <see cref="Banks"/> separate RAMs of <see cref="Width"/> bits × <see cref="Depth"/> words.</summary>
public sealed record OnChipMemory(string Name, int Banks, int Width, int Depth)
{
    public long Bits => (long)Banks * Width * Depth;
}

/// <summary>How many block-RAM primitives one memory takes: the cheapest tiling by one primitive shape.</summary>
public static class BlockRamModel
{
    /// <summary>The widest memory port the Xilinx tools allow; pkg_config.py splits wider SRAMs into banks of this width.</summary>
    public const int MaxBusWidth = 1024;

    /// <summary>
    /// Blocks for a width × depth RAM: for each shape, ⌈width / shape width⌉ × ⌈depth / shape depth⌉ blocks side by side
    /// and stacked; the smallest count wins (the tools may mix shapes and do slightly better, never worse).
    /// </summary>
    public static (int Blocks, RamShape Shape) Blocks(int width, int depth, MemoryPrimitive primitive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        ArgumentNullException.ThrowIfNull(primitive);
        (int Blocks, RamShape Shape) best = (int.MaxValue, default);
        foreach (var shape in primitive.Shapes)
        {
            long blocks = (long)Ceil(width, shape.Width) * Ceil(depth, shape.Depth);
            if (blocks < best.Blocks)
            {
                best = ((int)Math.Min(blocks, int.MaxValue), shape);
            }
        }

        return best;
    }

    public static int Blocks(OnChipMemory memory, MemoryPrimitive primitive) =>
        memory.Banks * Blocks(memory.Width, memory.Depth, primitive).Blocks;

    /// <summary>
    /// VTA's SRAMs as the HLS design and its Vivado script build them: INP, WGT and OUT as blk_mem_gen RAMs split into
    /// banks of at most 1,024 bits (pkg_config.py: banks = ⌈elem bits / 1024⌉, width = min(elem bits, 1024),
    /// depth = buffer bits / elem bits); ACC and UOP inside the compute module at full element width; the three
    /// 512 × 128-bit command FIFOs and four 1,024 × 8-bit dependence FIFOs of vivado.tcl.
    /// </summary>
    public static IReadOnlyList<OnChipMemory> VtaMemories(VtaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return
        [
            Banked("inp", config.InpElemBits, config.InpBuffBytes),
            Banked("wgt", config.WgtElemBits, config.WgtBuffBytes),
            Banked("out", config.OutElemBits, config.OutBuffBytes),
            new("acc", 1, config.AccElemBits, config.AccBuffDepth),
            new("uop", 1, VtaConfig.UopWidth, config.UopBuffDepth),
            new("cmd_fifo", 3, VtaConfig.InsWidth, 512),
            new("dep_fifo", 4, 8, 1024),
        ];
    }

    private static OnChipMemory Banked(string name, int elemBits, long bufferBytes)
    {
        int banks = Ceil(elemBits, MaxBusWidth);
        int width = Math.Min(elemBits, MaxBusWidth);
        int depth = (int)(bufferBytes * 8 / elemBits);
        return new OnChipMemory(name, banks, width, depth);
    }

    private static int Ceil(int a, int b) => (a + b - 1) / b;
}
