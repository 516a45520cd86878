using Vta.Hardware.Config;
using Vta.Runtime.Demos;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Runtime.Tests;

/// <summary>TVM's two tutorial kernels, bit-exact against plain references, with counters derived from their shapes.</summary>
public class DemoTests
{
    public static TheoryData<string> Configs() => ["default", "1x32", "2x16", "1x8"];

    private static VtaConfig Config(string name) => name switch
    {
        "1x32" => VtaConfig.Create(logBlock: 5),
        "2x16" => VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18),
        "1x8" => VtaConfig.Create(logBlock: 3, logInpBuffSize: 14, logWgtBuffSize: 16, logAccBuffSize: 16),
        _ => VtaConfig.Default,
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void MatmulMatchesReferenceWithNecessaryWork(string config)
    {
        var c = Config(config);
        var r = MatmulDemo.Run(new SimDevice(c), seed: 7);

        Assert.True(r.Passed, $"{r.Mismatches} mismatches");
        long ib = 1024 / c.BlockIn, ob = 1024 / c.BlockOut;
        Assert.Equal(ob * ib, r.Counters.GemmCounter);
        Assert.Equal(3 * ob, r.Counters.AluCounter);
        Assert.Equal(1024L * c.Batch, r.Counters.InpLoadNbytes); // the input row is loaded once
        Assert.Equal(1024L * 1024, r.Counters.WgtLoadNbytes); // every weight once
        Assert.Equal(1024L * c.Batch, r.Counters.OutStoreNbytes);
        Assert.Equal(0, r.Counters.AccLoadNbytes);
        Assert.Equal(2 * 5 * 4, r.Counters.UopLoadNbytes); // reset, GEMM and three ALU kernels per ping-pong half
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Conv2dMatchesReferenceWithNecessaryWork(string config)
    {
        var c = Config(config);
        var r = Conv2dDemo.Run(new SimDevice(c), seed: 8);

        Assert.True(r.Passed, $"{r.Mismatches} mismatches");
        long cib = 256 / c.BlockIn, cob = 256 / c.BlockOut, pixels = 14 * 14;
        int outputTiles = int.Parse(r.Tiling["output_tiles"], System.Globalization.CultureInfo.InvariantCulture);
        int ct = int.Parse(r.Tiling["input_blocks_per_tile"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(cob * cib * 9 * pixels, r.Counters.GemmCounter);
        Assert.Equal(3 * cob * pixels, r.Counters.AluCounter);
        Assert.Equal(256L * 256 * 9, r.Counters.WgtLoadNbytes); // every weight once
        Assert.Equal(outputTiles * 256L * pixels * c.Batch, r.Counters.InpLoadNbytes); // input once per output tile, pads not moved
        Assert.Equal(256L * pixels * c.Batch, r.Counters.OutStoreNbytes);
        Assert.Equal((2 * 9 * ct * 14 + 14 + 3) * 4, r.Counters.UopLoadNbytes);
    }

    [Fact]
    public void DefaultConfigurationMovesFewerBytesThanTvm()
    {
        foreach (var r in new[] { MatmulDemo.Run(new SimDevice(VtaConfig.Default)), Conv2dDemo.Run(new SimDevice(VtaConfig.Default)) })
        {
            SimCounters tvm = r.Tvm!;
            Assert.Equal(tvm.GemmCounter, r.Counters.GemmCounter);
            Assert.Equal(tvm.AluCounter, r.Counters.AluCounter);
            Assert.True(Bytes(r.Counters) < Bytes(tvm), $"{r.Name}: {Bytes(r.Counters)} bytes vs TVM's {Bytes(tvm)}");
        }

        static long Bytes(SimCounters s) => s.InpLoadNbytes + s.WgtLoadNbytes + s.AccLoadNbytes + s.UopLoadNbytes + s.OutStoreNbytes;
    }

    [Fact]
    public void ReferenceDetectsACorruptedResult()
    {
        // The check must be able to fail: corrupt one weight after the reference is computed.
        var rng = new Random(1);
        var a = new sbyte[1024];
        var w = new sbyte[1024 * 1024];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(w.AsSpan()));
        var before = MatmulDemo.Reference(a, w, 1);
        for (int i = 0; i < 1024; i++)
        {
            w[5 * 1024 + i] = 127;
            a[i] = 127;
        }

        Assert.NotEqual(before, MatmulDemo.Reference(a, w, 1));
    }
}
