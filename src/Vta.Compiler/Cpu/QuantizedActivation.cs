using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>TFLite's CalculateActivationRangeQuantized: the integer clamp of a fused activation on a quantized output.</summary>
internal static class QuantizedActivation
{
    public static (int Min, int Max) Range(FusedActivation activation, TensorType output)
    {
        int qmin = (int)output.DType.MinValue();
        int qmax = (int)output.DType.MaxValue();
        Quantization q = output.Quant ?? throw new GraphException($"output {output} needs quantization parameters");
        float scale = q.Scale;
        int zp = q.ZeroPoint;
        int Quantize(float f) => zp + FixedPoint.RoundToInt(f / scale);
        return activation switch
        {
            FusedActivation.None => (qmin, qmax),
            FusedActivation.Relu => (Math.Max(qmin, Quantize(0f)), qmax),
            FusedActivation.Relu6 => (Math.Max(qmin, Quantize(0f)), Math.Min(qmax, Quantize(6f))),
            FusedActivation.ReluN1To1 => (Math.Max(qmin, Quantize(-1f)), Math.Min(qmax, Quantize(1f))),
            _ => throw new GraphException($"unsupported activation {activation}"),
        };
    }

    /// <summary>Clamp range of a fused activation on plain (unquantized) integers of the given type.</summary>
    public static (long Min, long Max) RawRange(FusedActivation activation, DataType type) => activation switch
    {
        FusedActivation.None => (type.MinValue(), type.MaxValue()),
        FusedActivation.Relu => (0, type.MaxValue()),
        _ => throw new GraphException($"activation {activation.Name()} needs quantization parameters on integers"),
    };

    public static float ApplyFloat(FusedActivation activation, float value)
    {
        (float min, float max) = activation.Range();
        return Math.Clamp(value, min, max);
    }
}
