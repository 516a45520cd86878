using Vta.Hardware.Config;
using Vta.Sim;

namespace Vta.Conformance.Tests.Infrastructure;

/// <summary>
/// The seven statistics of TVM's simulator (§5.2), as a test expects them. Tests build these from the shape of their
/// program with the helpers below; the simulator's values are only ever compared against them.
/// </summary>
internal sealed record ExpectedCounters
{
    public long InpLoadNbytes { get; init; }

    public long WgtLoadNbytes { get; init; }

    public long AccLoadNbytes { get; init; }

    public long UopLoadNbytes { get; init; }

    public long OutStoreNbytes { get; init; }

    public long GemmCounter { get; init; }

    public long AluCounter { get; init; }

    // TVM's counter rules: bytes = elements moved × element bytes (padding excluded). Element sizes are derived here
    // from BATCH/BLOCK and the 8/8/32/8-bit widths, not taken from the simulator.

    /// <summary>INP tile: BATCH × BLOCK_IN int8.</summary>
    public static long InpBytes(VtaConfig c, long tiles) => tiles * c.Batch * c.BlockIn;

    /// <summary>WGT tile: BLOCK_OUT × BLOCK_IN int8.</summary>
    public static long WgtBytes(VtaConfig c, long tiles) => tiles * c.BlockOut * c.BlockIn;

    /// <summary>ACC tile: BATCH × BLOCK_OUT int32.</summary>
    public static long AccBytes(VtaConfig c, long tiles) => tiles * c.Batch * c.BlockOut * 4;

    /// <summary>OUT tile: BATCH × BLOCK_OUT int8 (BATCH·BLOCK_OUT·OUT_WIDTH/8 per element stored).</summary>
    public static long OutBytes(VtaConfig c, long tiles) => tiles * c.Batch * c.BlockOut;

    /// <summary>A micro-op is 4 bytes.</summary>
    public static long UopBytes(long uops) => uops * 4;

    public void AssertMatches(SimCounters actual)
    {
        var got = new ExpectedCounters
        {
            InpLoadNbytes = actual.InpLoadNbytes,
            WgtLoadNbytes = actual.WgtLoadNbytes,
            AccLoadNbytes = actual.AccLoadNbytes,
            UopLoadNbytes = actual.UopLoadNbytes,
            OutStoreNbytes = actual.OutStoreNbytes,
            GemmCounter = actual.GemmCounter,
            AluCounter = actual.AluCounter,
        };
        Assert.Equal(this, got);
    }
}
