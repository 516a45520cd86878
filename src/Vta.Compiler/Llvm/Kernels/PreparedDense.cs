using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Llvm.Kernels;

/// <summary>A dense layer with its weights transposed to [K, U] once (float, or int16 minus the zero point).</summary>
public sealed class PreparedDense : PreparedKernel
{
    private readonly Array _weights;
    private readonly Array _params;

    private PreparedDense(DenseKernel definition, TensorType outType, Array weights, Array parameters)
        : base(definition, outType) => (_weights, _params) = (weights, parameters);

    public static PreparedDense? TryCreate(Dense op, TensorType data, Tensor weights, Tensor? bias, TensorType outType, out string? reason)
    {
        bool isFloat = data.DType == DataType.Float32;
        bool quantized = data.Quant is not null && outType.Quant is not null && weights.Quant is not null;
        reason = !isFloat && !(quantized && data.DType is DataType.Int8 or DataType.UInt8 && outType.DType is DataType.Int8 or DataType.UInt8)
            ? "dense kernel: float, or TFLite-quantized 8-bit"
            : weights.Quant is { IsPerChannel: true, Axis: not 0 } ? "weights quantized along an axis other than the units" : null;
        if (reason is not null)
        {
            return null;
        }
        int k = data.Shape[1], units = weights.Shape[0];
        (float min, float max) = op.Activation.Range();
        KernelElement element = isFloat ? KernelElement.Float32 : data.DType == DataType.Int8 ? KernelElement.Int8 : KernelElement.UInt8;
        DenseKernel definition = new(data.Shape[0], k, units, element, outType.DType == DataType.Int8, min, max);
        if (isFloat)
        {
            float[] wf = weights.As<float>(), packed = new float[wf.Length];
            for (int u = 0; u < units; u++)
            {
                for (int i = 0; i < k; i++)
                {
                    packed[(i * units) + u] = wf[(u * k) + i];
                }
            }
            return new PreparedDense(definition, outType, packed, bias?.As<float>() ?? new float[units]);
        }
        Quantization xQ = data.Quant!, wQ = weights.Quant!, outQ = outType.Quant!;
        int[] wq = weights.ToInt32Values();
        short[] wPacked = new short[wq.Length];
        int[] p = new int[(3 * units) + 4];
        int[]? b = bias?.ToInt32Values();
        for (int u = 0; u < units; u++)
        {
            for (int i = 0; i < k; i++)
            {
                wPacked[(i * units) + u] = checked((short)(wq[(u * k) + i] - wQ.ZeroPointAt(u)));
            }
            // As DenseKernel: per-tensor multipliers from the float product of the scales, per-channel ones from doubles.
            double real = FixedPoint.RealMultiplier(xQ.Scale, wQ.ScaleAt(u), outQ.Scale, floatProduct: !wQ.IsPerChannel);
            (p[units + u], p[(2 * units) + u]) = FixedPoint.QuantizeMultiplier(real);
            p[u] = b?[u] ?? 0;
        }
        (int lo, int hi) = QuantizedActivation.Range(op.Activation, outType);
        (p[3 * units], p[(3 * units) + 1], p[(3 * units) + 2], p[(3 * units) + 3]) = (xQ.ZeroPoint, outQ.ZeroPoint, lo, hi);
        return new PreparedDense(definition, outType, wPacked, p);
    }

    public override Tensor Run(Tensor input)
    {
        Tensor output = NewOutput();
        Call(input.Data, _weights, _params, output.Data);
        return output;
    }
}
