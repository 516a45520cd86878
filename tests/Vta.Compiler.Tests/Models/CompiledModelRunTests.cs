using System.Reflection;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Compiler.Tests.Models;

/// <summary>How a compiled model uses a device: buffers, repeat runs, misuse.</summary>
public class CompiledModelRunTests
{
    [Fact]
    public void EveryDeviceBufferIsFreedAndARepeatRunIsIdentical()
    {
        CompiledModel m = ModelCompiler.Compile(PartitionTests.SmallNet(), VtaConfig.Default);
        var feeds = new Dictionary<string, Tensor> { ["x"] = Tensor.Zeros(m.Graph.TypeOf("x")) };
        using var device = new SimDevice(VtaConfig.Default);

        ModelRunResult first = m.Run(device, feeds);
        Assert.Equal(0, LiveBytes(device));
        ModelRunResult second = m.Run(device, feeds);

        Assert.Equal(0, LiveBytes(device));
        Assert.Equal(first.Outputs["y"].As<sbyte>(), second.Outputs["y"].As<sbyte>());
        Assert.Equal(first.Counters.ToList(), second.Counters.ToList());
        // Weights move once per run: what the loads read is at least the packed weights, and the same both times.
        Assert.True(first.Counters.WgtLoadNbytes >= m.VtaLayers.Sum(l => (long)l.PackedWeights.Length));
        Assert.Equal(m.Program.Steps.Count, first.Layers.Count);
    }

    [Fact]
    public void ADeviceOfAnotherConfigurationOrAMissingInputIsRefused()
    {
        CompiledModel m = ModelCompiler.Compile(PartitionTests.SmallNet(), VtaConfig.Default);
        using var other = new SimDevice(VtaConfig.Create(logBlock: 5));
        Assert.Throws<ArgumentException>(() => m.Run(other, new Dictionary<string, Tensor>()));
        using var device = new SimDevice(VtaConfig.Default);
        var e = Assert.Throws<GraphException>(() => m.Run(device, new Dictionary<string, Tensor>()));
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Bytes allocated and not freed in the simulator's DRAM (not public: the device owns it).</summary>
    private static long LiveBytes(SimDevice device)
    {
        object dram = typeof(DramDevice).GetProperty("Dram", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(device)!;
        return ((Dram)dram).LiveBytes;
    }
}
