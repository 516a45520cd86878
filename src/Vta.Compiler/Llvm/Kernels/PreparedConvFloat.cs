using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>A float NCHW conv2d with its weights packed in blocks of output channels for <see cref="ConvFloatKernel"/>.</summary>
public sealed class PreparedConvFloat : PreparedKernel
{
    private readonly float[] _weights;
    private readonly float[] _bias;
    private readonly ThreadLocal<float[]> _scratch;

    private PreparedConvFloat(ConvFloatKernel definition, TensorType outType, float[] weights, float[] bias)
        : base(definition, outType)
    {
        _weights = weights;
        _bias = bias;
        _scratch = new ThreadLocal<float[]>(() => new float[definition.ScratchLength]);
    }

    /// <summary>
    /// Binds the op, or returns null with the reason. <paramref name="fused"/>: let LLVM fuse multiply-adds (off by
    /// default: unfused, the result equals the managed kernel's; fused rounds once per tap and can differ by more than
    /// 1e-5 relative on outputs whose terms cancel).
    /// </summary>
    public static PreparedConvFloat? TryCreate(Conv2d op, TensorType data, Tensor weights, Tensor? bias, TensorType outType, out string? reason,
        bool? fused = null, CodeTarget? target = null)
    {
        reason = data.DType != DataType.Float32 ? "not float"
            : op.Layout != DataLayout.Nchw ? "float conv kernel is NCHW only"
            : op.Groups != 1 ? "grouped float conv"
            : op.Dilations != Size2d.One ? "dilated float conv"
            : null;
        if (reason is not null)
        {
            return null;
        }
        target ??= CodeTarget.Host;
        (float[] k, int o, int c, int kh, int kw) = LayoutConversion.ToOihw(weights.As<float>(), weights.Shape, op.KernelLayout);
        (float min, float max) = op.Activation.Range();
        WindowGeometry window = new(data.Shape[2], data.Shape[3], kh, kw, op.Strides.H, op.Strides.W, 1, 1, op.Pads.Top, op.Pads.Left,
            outType.Shape[2], outType.Shape[3]);
        bool fma = fused ?? false;
        ConvFloatKernel definition = new(data.Shape[0], c, o, window, min, max, target.Lanes(sizeof(float)), fma);
        int block = definition.Block, taps = c * kh * kw;
        float[] packed = new float[o * taps];
        for (int oc = 0; oc < o; oc++)
        {
            for (int t = 0; t < taps; t++)
            {
                packed[((((oc / block) * taps) + t) * block) + (oc % block)] = k[(oc * taps) + t];
            }
        }
        return new PreparedConvFloat(definition, outType, packed, bias?.As<float>() ?? new float[o]);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Run((float[])input.Data, (float[])output.Data);
        return output;
    }

    /// <summary>The allocation-free form the benchmarks use.</summary>
    public void Run(float[] input, float[] output) => Call(input, _weights, _bias, output, _scratch.Value);
}
