using Vta.Hardware.Config;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Runtime.Tests;

/// <summary>Automatic synchronization and the serial debug mode keep results and work counters intact.</summary>
public class SyncTests
{
    public static TheoryData<string> Configs() => ["default", "1x32", "2x16"];

    private static VtaConfig Config(string name) => name switch
    {
        "1x32" => VtaConfig.Create(logBlock: 5),
        "2x16" => VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18),
        _ => VtaConfig.Default,
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void DoubleBufferedProgramMatchesReference(string config)
    {
        var program = new TiledGemmProgram(Config(config), tiles: 12, seed: 1);
        var device = new SimDevice(program.Config);
        using var q = new CommandQueue(device);

        Assert.Equal(program.Reference(), program.Run(device, q));
        Assert.Equal(1, q.Runs);
        var c = device.ReadCounters();
        Assert.Equal(12, c.GemmCounter);
        Assert.Equal(12L * program.Config.InpElemBytes, c.InpLoadNbytes);
        Assert.Equal(program.Config.WgtElemBytes, c.WgtLoadNbytes);
        Assert.Equal(12L * program.Config.OutElemBytes, c.OutStoreNbytes);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void AutomaticSynchronizationSplitsRunsAndCarriesTokens(string config)
    {
        var program = new TiledGemmProgram(Config(config), tiles: 40, seed: 2);
        var device = new SimDevice(program.Config);
        using var q = new CommandQueue(device, new CommandQueueOptions { InsnCapacity = 48 });

        sbyte[] result = program.Run(device, q);

        Assert.Equal(program.Reference(), result);
        Assert.True(q.AutomaticSyncs >= 3, $"only {q.AutomaticSyncs} automatic synchronizations");
        Assert.Equal(q.AutomaticSyncs + 1, q.Runs);
        var c = device.ReadCounters();
        Assert.Equal(40, c.GemmCounter);
        Assert.Equal(40L * program.Config.InpElemBytes, c.InpLoadNbytes);
        Assert.Equal(40L * program.Config.OutElemBytes, c.OutStoreNbytes);
    }

    [Fact]
    public void UopStagingOverflowSynchronizesAutomatically()
    {
        var program = new TiledGemmProgram(VtaConfig.Default, tiles: 10, seed: 3);
        var device = new SimDevice(program.Config);
        using var q = new CommandQueue(device, new CommandQueueOptions { UopCapacity = 3 });

        Assert.Equal(program.Reference(), program.Run(device, q));
        Assert.True(q.AutomaticSyncs > 0);
    }

    [Fact]
    public void SerialModeChainsEveryInstructionToThePrevious()
    {
        var program = new TiledGemmProgram(VtaConfig.Default, tiles: 6, seed: 4);
        var device = new SimDevice(program.Config);
        var listings = new List<StreamListing>();
        using var q = new CommandQueue(device, new CommandQueueOptions { ForceSerial = true, Dump = listings.Add });

        Assert.Equal(program.Reference(), program.Run(device, q));

        var insns = Assert.Single(listings).Instructions;
        for (int i = 1; i < insns.Count; i++)
        {
            Stage prev = Stages.Of(insns[i - 1]), now = Stages.Of(insns[i]);
            if (prev != now)
            {
                // a stage change is always a push on the previous and a pop on this one
                Assert.True(insns[i - 1].PushNext || insns[i - 1].PushPrev, $"instruction {i - 1} does not signal {i}");
                Assert.True(insns[i].PopNext || insns[i].PopPrev, $"instruction {i} does not wait for {i - 1}");
                Assert.NotEqual(2, Math.Abs(prev - now));
            }
        }
    }
}
