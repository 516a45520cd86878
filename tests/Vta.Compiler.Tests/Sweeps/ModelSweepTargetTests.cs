using Vta.Compiler.Graphs;
using Vta.Compiler.Quant;
using Vta.Compiler.Sweeps;
using Vta.Hardware.Config;
using Vta.Sim.Timing;

namespace Vta.Compiler.Tests.Sweeps;

/// <summary>zoo:resnet18 (quantized, at 32×32 to stay fast) as a whole-model sweep target.</summary>
public class ModelSweepTargetTests
{
    private static readonly ModelSweepTarget s_resnet = new("zoo:resnet18",
        FloatQuantizer.Quantize(Vta.Compiler.ModelZoo.Zoo.Build("resnet18", imageSize: 32), new QuantizeOptions()).Graph);

    private static SweepOutcome At(VtaConfig config) => s_resnet.Evaluate(config, TimingParameters.For(config));

    [Fact]
    public void ResNet18RunsAtEveryBlockIncluding1x32AndLargerBlocksNeverDoMoreGemmWork()
    {
        SweepOutcome[] outcomes = [.. new[] { 3, 4, 5 }.Select(b => At(VtaConfig.Create(logBlock: b, logInpBuffSize: 11 + b, logWgtBuffSize: 10 + 2 * b, logAccBuffSize: 13 + b)))];

        Assert.All(outcomes, o => Assert.True(o.Ok, o.Failure));
        Assert.All(outcomes, o => Assert.True(o.Cycles > 0 && o.Counters.GemmCounter > 0));
        for (int i = 1; i < outcomes.Length; i++)
        {
            Assert.True(outcomes[i].Counters.GemmCounter <= outcomes[i - 1].Counters.GemmCounter,
                $"gemm_counter {outcomes[i - 1].Counters.GemmCounter} → {outcomes[i].Counters.GemmCounter}");
        }
    }

    [Fact]
    public void BiggerWeightAndInputBuffersNeverIncreaseDramTraffic()
    {
        SweepOutcome small = At(VtaConfig.Create(logWgtBuffSize: 17, logInpBuffSize: 14));
        SweepOutcome large = At(VtaConfig.Create(logWgtBuffSize: 18, logInpBuffSize: 15));

        Assert.True(small.Ok && large.Ok, small.Failure ?? large.Failure);
        Assert.True(large.DramBytes <= small.DramBytes, $"{small.DramBytes} → {large.DramBytes}");
    }

    [Fact]
    public void AConfigurationThatCannotHoldALayerIsAFailedPointWithTheReason()
    {
        SweepOutcome tiny = At(VtaConfig.Create(logAccBuffSize: 10, logWgtBuffSize: 12, logInpBuffSize: 10));

        Assert.False(tiny.Ok);
        Assert.False(string.IsNullOrWhiteSpace(tiny.Failure));
        Assert.Equal(0, tiny.Cycles);
    }
}
