using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>Max, average or global average pooling bound to its integer parameters (clamp, zero points, multipliers).</summary>
public sealed class PreparedPool : PreparedKernel
{
    private readonly int[] _params;

    private PreparedPool(PoolKernel definition, TensorType outType, int[] parameters)
        : base(definition, outType) => _params = parameters;

    public static PreparedPool? TryCreate(Op op, TensorType data, TensorType outType, out string? reason)
    {
        (DataLayout layout, Size2d kernel, Size2d strides, Pads2d pads, bool isMax, bool includePad, FusedActivation act) = op switch
        {
            MaxPool p => (p.Layout, p.Kernel, p.Strides, p.Pads, true, false, p.Activation),
            AvgPool p => (p.Layout, p.Kernel, p.Strides, p.Pads, false, p.CountIncludePad, p.Activation),
            GlobalAvgPool p => (p.Layout, new Size2d(data.Shape[p.Layout.HeightAxis()], data.Shape[p.Layout.WidthAxis()]), Size2d.One,
                Pads2d.Zero, false, false, FusedActivation.None),
            _ => default,
        };
        KernelElement? element = data.DType switch
        {
            DataType.Float32 => KernelElement.Float32,
            DataType.Int8 => KernelElement.Int8,
            DataType.UInt8 => KernelElement.UInt8,
            _ => null,
        };
        reason = op is not (MaxPool or AvgPool or GlobalAvgPool) ? "not a pooling op"
            : element is null || outType.DType != data.DType ? $"pooling on {data.DType.Name()} -> {outType.DType.Name()}"
            : null;
        if (reason is not null)
        {
            return null;
        }
        WindowGeometry g = new(data.Shape[layout.HeightAxis()], data.Shape[layout.WidthAxis()], kernel.H, kernel.W, strides.H, strides.W,
            1, 1, pads.Top, pads.Left, outType.Shape[layout.HeightAxis()], outType.Shape[layout.WidthAxis()]);
        if (!EveryWindowCoversInput(g))
        {
            reason = "a pooling window covers no input element";
            return null;
        }
        int taps = kernel.H * kernel.W;
        int[] q = new int[5 + (2 * taps)];
        (float min, float max) = act.Range();
        if (element != KernelElement.Float32)
        {
            (long lo, long hi) = outType.Quant is null ? QuantizedActivation.RawRange(act, outType.DType) : QuantizedActivation.Range(act, outType);
            (q[0], q[1]) = ((int)lo, (int)hi);
            Quantization? inQ = data.Quant, outQ = outType.Quant;
            bool requantize = inQ is not null && outQ is not null && inQ != outQ;
            q[2] = requantize ? 1 : 0;
            if (requantize)
            {
                (q[3], q[4]) = (inQ!.ZeroPoint, outQ!.ZeroPoint);
                for (int count = 1; count <= taps; count++)
                {
                    (q[3 + (2 * count)], q[4 + (2 * count)]) = FixedPoint.QuantizeMultiplier((double)inQ.Scale / ((double)outQ.Scale * count));
                }
            }
        }
        PoolKernel definition = new(layout, data.Shape[0], data.Shape[layout.ChannelAxis()], g, pads.Bottom, pads.Right, isMax, includePad,
            element!.Value, min, max);
        return new PreparedPool(definition, outType, q);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, output.Data, _params);
        return output;
    }

    private static bool EveryWindowCoversInput(WindowGeometry g)
    {
        for (int oy = 0; oy < g.OH; oy++)
        {
            int y0 = (oy * g.SH) - g.PadTop;
            if (Math.Min(y0 + g.KH, g.H) <= Math.Max(y0, 0))
            {
                return false;
            }
        }
        for (int ox = 0; ox < g.OW; ox++)
        {
            int x0 = (ox * g.SW) - g.PadLeft;
            if (Math.Min(x0 + g.KW, g.W) <= Math.Max(x0, 0))
            {
                return false;
            }
        }
        return true;
    }
}
