using Vta.Compiler.Resources;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests.Sweeps;

public class ResourceModelTests
{
    [Theory]
    // width, depth, expected BRAM18s, the shape that gives it (each worked by hand over the six shapes)
    [InlineData(128, 2048, 15, "2048×9")]    // ⌈128/9⌉ = 15 × 1; 1K×18 would be 8 × 2 = 16
    [InlineData(32, 8192, 16, "8192×2")]     // 16 × 1; 2K×9 ties at 4 × 4, the first shape listed wins
    [InlineData(1024, 1024, 57, "1024×18")]  // ⌈1024/18⌉ = 57; 512×36 would be 29 × 2 = 58
    [InlineData(1024, 256, 29, "512×36")]    // ⌈1024/36⌉ = 29, half of each block unused
    [InlineData(512, 2048, 57, "2048×9")]    // ⌈512/9⌉ = 57
    [InlineData(1, 16384, 1, "16384×1")]
    [InlineData(36, 513, 2, "1024×18")]      // one row too many for 512×36 (1 × 2); 1K×18 ties at 2 × 1 and is listed first
    [InlineData(19, 1024, 2, "1024×18")]     // one bit too wide: 2 × 1
    public void Bram18BlocksAreTheCheapestTiling(int width, int depth, int blocks, string shape)
    {
        var (n, s) = BlockRamModel.Blocks(width, depth, MemoryPrimitive.Bram18);
        Assert.Equal(blocks, n);
        Assert.Equal(shape, s.ToString());
    }

    [Theory]
    [InlineData(128, 2048, 26)] // 2K×5: 26 × 1; 1K×10: 13 × 2 = 26; 256×40: 4 × 8 = 32
    [InlineData(32, 8192, 28)]  // 2K×5: 7 × 4 = 28 beats 8K×1 (32) and 256×40 (1 × 32)
    [InlineData(40, 256, 1)]
    public void M10KBlocksAreTheCheapestTiling(int width, int depth, int blocks) =>
        Assert.Equal(blocks, BlockRamModel.Blocks(width, depth, MemoryPrimitive.M10K).Blocks);

    [Fact]
    public void DefaultMemoriesHavePkgConfigGeometry()
    {
        var m = BlockRamModel.VtaMemories(VtaConfig.Default).ToDictionary(x => x.Name);
        // vta-hardware.md §1 (pynq): inp 128 bits / 1 bank / 2048 deep; wgt 1024 / 2 banks / 1024; out 128 / 1 / 2048
        Assert.Equal(new OnChipMemory("inp", 1, 128, 2048), m["inp"]);
        Assert.Equal(new OnChipMemory("wgt", 2, 1024, 1024), m["wgt"]);
        Assert.Equal(new OnChipMemory("out", 1, 128, 2048), m["out"]);
        Assert.Equal(new OnChipMemory("acc", 1, 512, 2048), m["acc"]);
        Assert.Equal(new OnChipMemory("uop", 1, 32, 8192), m["uop"]);
        // every buffer holds exactly its configured bytes
        Assert.Equal(32L * 1024 * 8, m["inp"].Bits);
        Assert.Equal(256L * 1024 * 8, m["wgt"].Bits);
        Assert.Equal(128L * 1024 * 8, m["acc"].Bits);
    }

    [Fact]
    public void DefaultConfigFitsThePynqDevice()
    {
        // inp 15 + wgt 2 × 57 + out 15 + acc 57 + uop 16 + 3 command FIFOs × 4 (512×36) + 4 dependence FIFOs × 1 = 233
        Assert.Equal(233, ResourceModel.MemoryBlocks(VtaConfig.Default, MemoryPrimitive.Bram18));
        var fit = ResourceModel.Fit(VtaConfig.Default, FpgaDevice.Find("xc7z020"));
        Assert.Equal(128, fit.Dsps); // 256 int8 products, two per DSP48
        Assert.Equal(10_000 + 20 * 256 + 200 * 16 + (128 + 2048 + 2 * 512 + 128), fit.Luts);
        Assert.Equal(12_000 + 24 * 256 + 100 * 16 + (128 + 2048 + 2 * 512 + 128), fit.FlipFlops);
        Assert.True(fit.Fits, $"the shipped Pynq bitstream's configuration must fit xc7z020: {fit}");
        Assert.Equal("bram18", fit.Binding);
        Assert.Equal(233.0 / 280, fit.Utilization, 12);
    }

    [Fact]
    public void DspsCountTheGemmArrayWithEachDevicesPacking()
    {
        Assert.Equal(512, ResourceModel.Fit(VtaConfig.Create(logBlock: 5), FpgaDevice.Find("xczu7ev")).Dsps);
        Assert.Equal(256, ResourceModel.Fit(VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18), FpgaDevice.Find("xc7z020")).Dsps);
        Assert.Equal(86, ResourceModel.Fit(VtaConfig.Default, FpgaDevice.Find("5cseba6")).Dsps); // ⌈256 / 3⌉ 9×9 multipliers
    }

    [Fact]
    public void OneByThirtyTwoNeedsAnUltraScaleDevice()
    {
        var c = VtaConfig.Create(logBlock: 5);
        var pynq = ResourceModel.Fit(c, FpgaDevice.Find("xc7z020"));
        Assert.False(pynq.Fits);
        Assert.Equal("dsp", pynq.Binding); // 512 DSPs against 220
        Assert.False(ResourceModel.Fit(c, FpgaDevice.Find("xczu3eg")).Fits);
        Assert.True(ResourceModel.Fit(c, FpgaDevice.Find("xczu7ev")).Fits);
    }

    [Fact]
    public void BiggerBuffersNeverTakeFewerBlocks()
    {
        // 15 and 16 tie: a 128- or 256-deep bank of 1,024 bits takes 29 blocks of 512×36 either way
        int last = 0;
        foreach (int w in new[] { 15, 16, 17, 18 })
        {
            int blocks = ResourceModel.MemoryBlocks(VtaConfig.Create(logWgtBuffSize: w), MemoryPrimitive.Bram18);
            Assert.True(blocks >= last, $"LOG_WGT_BUFF_SIZE={w}: {blocks} blocks after {last}");
            last = blocks;
        }

        Assert.True(last > ResourceModel.MemoryBlocks(VtaConfig.Create(logWgtBuffSize: 15), MemoryPrimitive.Bram18));
    }

    [Fact]
    public void DeviceTableHasTheCitedCapacitiesAndTargets()
    {
        var z7 = FpgaDevice.Find("xc7z020clg484-1");
        Assert.Equal((280, 220, 53_200, 106_400), (z7.MemoryBlocks, z7.Dsps, z7.Luts, z7.FlipFlops));
        var zu3 = FpgaDevice.Find("xczu3eg");
        Assert.Equal((432, 360, 70_560, 141_120), (zu3.MemoryBlocks, zu3.Dsps, zu3.Luts, zu3.FlipFlops));
        Assert.Equal("xczu3eg", FpgaDevice.ForTarget("ultra96").Name);
        Assert.Equal("xczu7ev", FpgaDevice.ForTarget("zcu104").Name);
        Assert.Equal("5cseba6", FpgaDevice.ForTarget("de10nano").Name);
        Assert.Equal("xc7z020", FpgaDevice.ForTarget("sim").Name);
        Assert.Throws<FormatException>(() => FpgaDevice.Find("xcvu9p"));
        Assert.All(FpgaDevice.All, d => Assert.Equal(d.Part, TargetPart(d)));
    }

    // Each device's part is the one TVM's pkg_config.py names for the target that maps to it.
    private static string TargetPart(FpgaDevice d) => d.Name switch
    {
        "xc7z020" => TargetInfo.For("pynq").FpgaDevice,
        "xczu3eg" => TargetInfo.For("ultra96").FpgaDevice,
        "xczu7ev" => TargetInfo.For("zcu104").FpgaDevice,
        _ => TargetInfo.For("de10nano").FpgaDevice,
    };
}
