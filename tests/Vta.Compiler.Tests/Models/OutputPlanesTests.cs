using System.Runtime.InteropServices;
using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Reference;
using Vta.Compiler.Running;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Vta.Runtime.Layout;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// An epilogue with several output planes (the exact form's export of int32 sums): plane p must be the STORE's truncation
/// of acc &gt;&gt; 8p, every plane at its own offset, on a large ACC, on a small one (many tiles through the double-buffered
/// ACC, so the counted store tokens matter) and with batch 2. Put back together, the planes give the low 8·P bits of the
/// sums, sign-extended: the whole sum when it fits.
/// </summary>
public class OutputPlanesTests
{
    [Theory]
    [InlineData(4, false, 0)]
    [InlineData(3, true, 0)]
    [InlineData(2, true, 1)]
    public void EachPlaneIsTheSumShiftedAndTogetherTheyGiveItBack(int planes, bool smallAcc, int logBatch)
    {
        VtaConfig config = VtaConfig.Create(logBatch: logBatch, logAccBuffSize: smallAcc ? 12 : 17);
        var w = new Conv2dWorkload("planes", 1 << logBatch, 6, 5, 128, 48, 3, 3, Padding.Uniform(1), 1, 1);
        var epilogue = new Epilogue([new AddBias()]) { Planes = planes };
        ConvPlan plan = ConvPlan.Compile(Conv2dOp.Lower(w, config) with { Epilogue = epilogue }, config);

        // Extreme weights and data push the sums past 2^23, so that a fourth plane is needed.
        var random = new Random(5);
        sbyte[] x = [.. Enumerable.Range(0, w.N * w.InChannels * w.Height * w.Width).Select(_ => (sbyte)(random.Next(10) == 0 ? -128 : 127))];
        sbyte[] weights = [.. Enumerable.Range(0, w.OutChannels * w.InChannels * 9).Select(i => (sbyte)(i % 13 == 0 ? -random.Next(100, 128) : random.Next(100, 128)))];
        int[] bias = [.. Enumerable.Range(0, w.OutChannels).Select(c => c % 2 == 0 ? random.Next(-1 << 20, 1 << 20) : random.Next(1 << 22, 1 << 23))];
        int[] sums = ReferenceOps.Conv2d(x, weights, w);
        int pixels = w.OutHeight * w.OutWidth;
        for (int i = 0; i < sums.Length; i++)
        {
            sums[i] += bias[i / pixels % w.OutChannels];
        }

        Assert.Contains(sums, s => Math.Abs(s) >= 1 << 23);

        using var device = new SimDevice(config);
        long outElements = (long)plan.Problem.BatchBlocks * plan.Problem.OutChannelBlocks * w.OutHeight * w.OutWidth;
        long planeBytes = outElements * config.OutElemBytes;
        DeviceBuffer Upload(ReadOnlySpan<byte> bytes)
        {
            DeviceBuffer b = device.Allocate(bytes.Length);
            device.CopyIn(b, 0, bytes);
            return b;
        }

        DeviceBuffer output = device.Allocate(planeBytes * planes);
        var operands = new ConvOperands(
            Upload(MemoryMarshal.AsBytes(PackedLayout.PackActivations(x, w.N, w.InChannels, w.Height, w.Width, config.Batch, config.BlockIn).AsSpan())),
            Upload(MemoryMarshal.AsBytes(PackedLayout.PackWeights(weights, w.OutChannels, w.InChannels, 3, 3, config.BlockOut, config.BlockIn).AsSpan())),
            output,
            Bias: Upload(PackedLayout.PackBias(bias, config.Batch, config.BlockOut)),
            OutputPlaneElements: outElements);
        using (var queue = new Runtime.Commands.CommandQueue(device))
        {
            plan.Emit(queue, operands);
            queue.Synchronize();
        }

        var all = new sbyte[planeBytes * planes];
        device.CopyOut(output, 0, MemoryMarshal.AsBytes(all.AsSpan()));
        sbyte[][] unpacked = [.. Enumerable.Range(0, planes).Select(p => PackedLayout.UnpackActivations(all.AsSpan((int)(p * planeBytes), (int)planeBytes),
            w.N, w.OutChannels, w.OutHeight, w.OutWidth, config.Batch, config.BlockOut))];
        int drop = 32 - (8 * planes);
        for (int i = 0; i < sums.Length; i++)
        {
            int value = unpacked[planes - 1][i];
            for (int p = planes - 2; p >= 0; p--)
            {
                value = (value << 8) | (byte)unpacked[p][i];
            }

            Assert.True((sums[i] << drop) >> drop == value, $"element {i}: sum {sums[i]}, planes give {value}");
        }

        // One store of the tile per plane; one ALU pass for the bias plus one shift per further plane.
        Assert.Equal(planeBytes * planes, device.ReadCounters().OutStoreNbytes);
    }
}
