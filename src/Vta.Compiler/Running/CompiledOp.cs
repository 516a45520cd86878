using Vta.Runtime.Layout;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Ops.Elementwise;
using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Running;

/// <summary>A compiled workload that can pack its operands, run on a device and unpack its result.</summary>
public abstract class CompiledOp(Workload workload)
{
    public Workload Workload { get; } = workload;

    public abstract IReadOnlyDictionary<string, string> Tiles { get; }

    /// <summary>The conv-family tiling, or null for element-wise work.</summary>
    public virtual ConvTiling? Tiling => null;

    /// <summary>Useful multiply-accumulates (0 for element-wise work).</summary>
    public virtual long Macs => 0;

    /// <summary>Packs and copies the operands, issues the program on a fresh queue, synchronizes, returns the NCHW int8 result.</summary>
    public abstract sbyte[] Execute(IVtaDevice device, OpData data, CommandQueueOptions? options = null);

    private protected static DeviceBuffer Upload(IVtaDevice device, ReadOnlySpan<byte> bytes, List<DeviceBuffer> owned)
    {
        var buffer = device.Allocate(Math.Max(1, bytes.Length));
        owned.Add(buffer);
        device.CopyIn(buffer, 0, bytes);
        return buffer;
    }

    private protected static DeviceBuffer Upload(IVtaDevice device, ReadOnlySpan<sbyte> values, List<DeviceBuffer> owned) =>
        Upload(device, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), owned);

    private protected static sbyte[] Download(IVtaDevice device, DeviceBuffer buffer)
    {
        var bytes = new sbyte[buffer.Bytes];
        device.CopyOut(buffer, 0, System.Runtime.InteropServices.MemoryMarshal.AsBytes(bytes.AsSpan()));
        return bytes;
    }

    private protected static void Run(IVtaDevice device, CommandQueueOptions? options, Action<CommandQueue> emit)
    {
        using var queue = new CommandQueue(device, options);
        emit(queue);
        queue.Synchronize();
    }
}

/// <summary>conv2d, grouped conv2d, conv2d-transpose or dense, compiled to a <see cref="ConvPlan"/>.</summary>
public sealed class ConvOp(Workload workload, ConvPlan plan) : CompiledOp(workload)
{
    public ConvPlan Plan { get; } = plan;

    public override IReadOnlyDictionary<string, string> Tiles => Plan.Tiling.Describe(Plan.Problem);

    public override ConvTiling Tiling => Plan.Tiling;

    public override long Macs => Plan.Macs;

    public override sbyte[] Execute(IVtaDevice device, OpData data, CommandQueueOptions? options = null)
    {
        var c = device.Config;
        var p = Plan.Problem;
        var (ci, co, h, w, oh, ow) = Workload switch
        {
            Conv2dWorkload x => (x.InChannels, x.OutChannels, x.Height, x.Width, x.OutHeight, x.OutWidth),
            Conv2dTransposeWorkload x => (x.InChannels, x.OutChannels, x.Height, x.Width, x.OutHeight, x.OutWidth),
            DenseWorkload x => (x.InChannels, x.OutChannels, 1, 1, 1, 1),
            _ => throw new NotSupportedException(Workload.GetType().Name),
        };
        sbyte[] weights = Workload switch
        {
            Conv2dWorkload x => PackedLayout.PackWeights(data.Weights, co, ci / x.Groups, x.KernelH, x.KernelW, c.BlockOut, c.BlockIn),
            Conv2dTransposeWorkload x => PackedLayout.PackTransposeWeights(data.Weights, ci, co, x.Kernel, c.BlockOut, c.BlockIn),
            _ => PackedLayout.PackWeights(data.Weights, co, ci, 1, 1, c.BlockOut, c.BlockIn),
        };
        var owned = new List<DeviceBuffer>();
        try
        {
            var operands = new ConvOperands(
                Upload(device, PackedLayout.PackActivations(data.Data, data.Batch, ci, h, w, c.Batch, c.BlockIn), owned),
                Upload(device, weights, owned),
                Upload(device, new byte[(long)p.BatchBlocks * p.OutChannelBlocks * oh * ow * c.OutElemBytes], owned),
                Plan.Epilogue.NeedsBias ? Upload(device, PackedLayout.PackBias(data.Bias, c.Batch, c.BlockOut), owned) : null,
                Plan.Epilogue.NeedsResidual ? Upload(device, PackedLayout.PackAccumulators(data.Residual, data.Batch, co, oh, ow, c.Batch, c.BlockOut), owned) : null,
                Plan.Epilogue.NeedsShift ? Upload(device, PackedLayout.PackBias(data.Shifts, c.Batch, c.BlockOut), owned) : null);
            Run(device, options, q => Plan.Emit(q, operands));
            return PackedLayout.UnpackActivations(Download(device, operands.Output), data.Batch, co, oh, ow, c.Batch, c.BlockOut);
        }
        finally
        {
            owned.ForEach(device.Free);
        }
    }
}

/// <summary>Element-wise ALU work, compiled to an <see cref="ElementwisePlan"/>.</summary>
public sealed class ElementwiseOpRun(ElementwiseWorkload workload, ElementwisePlan plan) : CompiledOp(workload)
{
    public ElementwisePlan Plan { get; } = plan;

    public override IReadOnlyDictionary<string, string> Tiles => Plan.Tiles;

    public override sbyte[] Execute(IVtaDevice device, OpData data, CommandQueueOptions? options = null)
    {
        var c = device.Config;
        var e = (ElementwiseWorkload)Workload;
        var owned = new List<DeviceBuffer>();
        try
        {
            var operands = new ElementwiseOperands(
                Upload(device, PackedLayout.PackAccumulators(data.Lhs, data.Batch, e.Channels, e.Height, e.Width, c.Batch, c.BlockOut), owned),
                e.IsBinary ? Upload(device, PackedLayout.PackAccumulators(data.Rhs, data.Batch, e.Channels, e.Height, e.Width, c.Batch, c.BlockOut), owned) : null,
                Upload(device, new byte[Plan.Elements * c.OutElemBytes], owned));
            Run(device, options, q => Plan.Emit(q, operands));
            return PackedLayout.UnpackActivations(Download(device, operands.Output), data.Batch, e.Channels, e.Height, e.Width, c.Batch, c.BlockOut);
        }
        finally
        {
            owned.ForEach(device.Free);
        }
    }
}
