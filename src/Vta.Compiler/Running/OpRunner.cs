using System.Diagnostics;
using Vta.Compiler.Ops;
using Vta.Compiler.Reference;
using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;
using Vta.Sim;

namespace Vta.Compiler.Running;

/// <summary>What one compiled-and-run workload reports.</summary>
public sealed record OpResult(
    Workload Workload,
    string ConfigName,
    SimCounters Counters,
    IReadOnlyDictionary<string, string> Tiles,
    ConvTiling? Tiling,
    long Macs,
    bool Passed,
    int Mismatches,
    double CompileSeconds,
    double RunSeconds)
{
    /// <summary>Bytes the loads move: INP, WGT, ACC and UOP.</summary>
    public long BytesLoaded => Counters.InpLoadNbytes + Counters.WgtLoadNbytes + Counters.AccLoadNbytes + Counters.UopLoadNbytes;

    public long BytesMoved => BytesLoaded + Counters.OutStoreNbytes;

    public double BytesPerMac => Macs == 0 ? 0 : BytesLoaded / (double)Macs;
}

/// <summary>
/// Compiles a workload, makes seeded random operands (or takes given ones), runs it on the behavioral simulator and
/// compares the result bit-exactly with the plain NCHW reference.
/// </summary>
public static class OpRunner
{
    public static OpResult Run(Workload workload, VtaConfig config, int seed = 0, OpCase? given = null, ITilingPolicy? policy = null,
        CommandQueueOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        var op = OpCompiler.Compile(workload, config, policy);
        double compile = clock.Elapsed.TotalSeconds;
        var w = op.Workload;
        var @case = given ?? Expected(w, OpData.Random(w, seed));
        if (@case.Data.Batch != w.Batch)
        {
            throw new ArgumentException($"{w.Name}: operands for a batch of {@case.Data.Batch}, the workload has {w.Batch}", nameof(given));
        }

        using var device = new SimDevice(config);
        device.ClearCounters();
        clock.Restart();
        sbyte[] actual = op.Execute(device, @case.Data, options);
        double run = clock.Elapsed.TotalSeconds;
        int mismatches = actual.Length != @case.Expected.Length ? Math.Max(actual.Length, @case.Expected.Length)
            : actual.Zip(@case.Expected).Count(p => p.First != p.Second);
        return new OpResult(w, config.Name, device.ReadCounters(), op.Tiles, op.Tiling, op.Macs, mismatches == 0, mismatches, compile, run);
    }

    /// <summary>The reference result of a (batch-resolved) workload on the given operands.</summary>
    public static OpCase Expected(Workload w, OpData data)
    {
        sbyte[] expected = w switch
        {
            Conv2dWorkload c => ReferenceEpilogue.Apply(ReferenceOps.Conv2d(data.Data, data.Weights, c), Epilogue.Conv(c.Shift, bias: true, c.Residual),
                c.OutChannels, c.OutHeight * c.OutWidth, data.Bias, data.Residual),
            DenseWorkload d => ReferenceEpilogue.Apply(ReferenceOps.Dense(data.Data, data.Weights, d), DenseEpilogue(d.Shift), d.OutChannels, 1, [], []),
            Conv2dTransposeWorkload t => ReferenceEpilogue.Apply(ReferenceOps.Conv2dTranspose(data.Data, data.Weights, t), DenseEpilogue(t.Shift),
                t.OutChannels, t.OutHeight * t.OutWidth, [], []),
            ElementwiseWorkload e => ReferenceEpilogue.Elementwise(data.Lhs, data.Rhs, e),
            _ => throw new NotSupportedException(w.GetType().Name),
        };
        return new OpCase(data, expected);
    }

    private static Epilogue DenseEpilogue(int shift) => new([new ShiftRight(shift), new Clip(0, 127)]);
}
