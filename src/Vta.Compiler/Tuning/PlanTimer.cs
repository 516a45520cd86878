using System.Runtime.InteropServices;
using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Tiling;
using Vta.Hardware.Config;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tuning;

/// <summary>Cycles of one run and the cycles the GEMM array did useful work in.</summary>
public readonly record struct PlanTiming(long Cycles, long GemmUsefulCycles)
{
    public double GemmUtilization => Cycles == 0 ? 0 : (double)GemmUsefulCycles / Cycles;
}

/// <summary>
/// Compiles a lowered layer with a given tiling and times it on a <see cref="TimingDevice"/>: operands of the problem's
/// blocked shapes filled from a seeded stream, one command queue, one synchronization. VTA's timing does not depend on
/// data, so the device may skip the data work (<see cref="TimingDevice.SkipExecution"/>) and give the same cycles.
/// </summary>
public static class PlanTimer
{
    public static ConvPlan Compile(ConvLowering lowering, ConvTiling tiling, VtaConfig config) =>
        ConvPlan.Compile(lowering, config, new Fixed(tiling));

    public static PlanTiming Measure(ConvPlan plan, TimingDevice device, int seed, CommandQueueOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(device);
        var (p, e, c) = (plan.Problem, plan.Epilogue, device.Config);
        var random = new Random(seed);
        var owned = new List<DeviceBuffer>();
        try
        {
            DeviceBuffer Upload(long elements, int elementBytes, Action<byte[]> fill)
            {
                var bytes = new byte[Math.Max(1, elements * elementBytes)];
                fill(bytes);
                var buffer = device.Allocate(bytes.Length);
                owned.Add(buffer);
                device.CopyIn(buffer, 0, bytes);
                return buffer;
            }

            void Bytes(byte[] b) => random.NextBytes(b);
            void Shifts(byte[] b) => MemoryMarshal.Cast<byte, int>(b.AsSpan()).Fill(random.Next(0, 16));
            long outElements = (long)p.BatchBlocks * p.OutChannelBlocks * p.OutHeight * p.OutWidth;
            var operands = new ConvOperands(
                Upload((long)p.BatchBlocks * p.InChannelBlocks * p.InHeight * p.InWidth, c.InpElemBytes, Bytes),
                Upload((long)p.OutChannelBlocks * p.InBlocks * p.WeightTaps, c.WgtElemBytes, Bytes),
                Upload(outElements, c.OutElemBytes, _ => { }),
                e.NeedsBias ? Upload(p.OutChannelBlocks, c.AccElemBytes, Bytes) : null,
                e.NeedsResidual ? Upload(outElements, c.AccElemBytes, Bytes) : null,
                e.NeedsShift ? Upload((long)e.ShiftVectors * p.OutChannelBlocks, c.AccElemBytes, Shifts) : null);
            device.ClearCounters();
            using (var queue = new CommandQueue(device, options))
            {
                plan.Emit(queue, operands);
                queue.Synchronize();
            }

            var report = device.TotalReport;
            return new PlanTiming(report.Cycles, report.GemmUsefulCycles);
        }
        finally
        {
            owned.ForEach(device.Free);
        }
    }

    /// <summary>The policy that answers the tiling under test.</summary>
    private sealed class Fixed(ConvTiling tiling) : ITilingPolicy
    {
        public ConvTiling Choose(ConvProblem problem, Epilogue epilogue, VtaConfig config) => tiling;
    }
}
