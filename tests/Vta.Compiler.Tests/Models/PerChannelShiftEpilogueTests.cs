using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Reference;
using Vta.Compiler.Running;
using Vta.Compiler.Tests.Infrastructure;
using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// The epilogue of the VTA form (+ bias, SHR by a per-channel vector, + immediate, clip) on the accelerator against the
/// plain reference, with the bias and shift vectors resident in the ACC and, on a small ACC, loaded per tile.
/// </summary>
public class PerChannelShiftEpilogueTests
{
    private static readonly Epilogue VtaForm = new([new AddBias(), new ShiftRightPerChannel(), new AddImmediate(-7), new Clip(-100, 90)]);

    [Fact]
    public void LowersToOneAluOpPerStepWithTheShiftFromTheVector()
    {
        IReadOnlyList<AluStep> ops = VtaForm.Lower();
        Assert.Equal(5, ops.Count); // ADD bias, SHR vector, ADD imm, MIN, MAX
        Assert.Equal(new AluStep(Hardware.Isa.AluOpcode.Shr, AluOperand.Shift), ops[1]);
        Assert.Equal(new AluStep(Hardware.Isa.AluOpcode.Add, AluOperand.Immediate, -7), ops[2]);
        Assert.True(VtaForm.NeedsShift);
        Assert.Throws<VtaCompileException>(() => new Epilogue([new AddImmediate(40000)]).Validate("layer"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchesTheReferenceWithVectorsResidentOrPerTile(bool smallAcc)
    {
        // 20 output blocks: 2 vectors × 20 = 40 elements exceed a quarter of a 64-element ACC, so they load per tile there.
        VtaConfig config = smallAcc ? VtaConfig.Create(logAccBuffSize: 12) : VtaConfig.Default;
        var w = new Conv2dWorkload("shift", 1, 6, 5, 32, 320, 3, 3, Padding.Uniform(1), 1, 1);
        ConvTiling? tiling = smallAcc ? new ConvTiling(1, 1, 4, 2, 2, 5, LoopOrder.WeightsOuter, 1) : null;
        ConvPlan plan = ConvPlan.Compile(Conv2dOp.Lower(w, config) with { Epilogue = VtaForm }, config, tiling is null ? null : new FixedTilingPolicy(tiling));
        Assert.Equal(!smallAcc, plan.Schedule.BiasResident);

        OpData data = OpData.Random(w, 5);
        var random = new Random(9);
        data = new OpData
        {
            Batch = 1,
            Data = data.Data,
            Weights = data.Weights,
            Bias = data.Bias,
            Shifts = [.. Enumerable.Range(0, w.OutChannels).Select(_ => random.Next(0, 16))],
        };
        sbyte[] expected = ReferenceEpilogue.Apply(ReferenceOps.Conv2d(data.Data, data.Weights, w), VtaForm, w.OutChannels, w.OutHeight * w.OutWidth,
            data.Bias, [], data.Shifts);

        using var device = new SimDevice(config);
        sbyte[] actual = new ConvOp(w, plan).Execute(device, data);

        Assert.Equal(expected, actual);
        Assert.Contains(expected, v => v == 90);   // the clip bites on both sides
        Assert.Contains(expected, v => v == -100);
        // Both vectors are loaded: once when resident, per tile (5 of them over 20 blocks) otherwise.
        long vectors = smallAcc ? 2 * 20 * 3 * 1 : 2 * 20;
        Assert.Equal(vectors * config.AccElemBytes, device.ReadCounters().AccLoadNbytes);
    }
}
