namespace Vta.Compiler.Graphs;

/// <summary>
/// Float to integer: q = clamp(round(x / scale) + zeroPoint), rounding half away from zero (TFLite). The output
/// quantization (per tensor or per channel) must be declared.
/// </summary>
public sealed record Quantize(DataType OutDType) : Op
{
    public override string Kind => "quantize";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Check(inputs[0].DType == DataType.Float32, $"input must be float32, got {inputs[0].DType.Name()}");
        Check(OutDType.IsInteger(), $"output type {OutDType.Name()} must be an integer type");
        return [new TensorType(OutDType, inputs[0].Shape)];
    }

    public override string FormatAttributes() => $"out={OutDType.Name()}";
}

/// <summary>Quantized integer to float: x = scale * (q - zeroPoint).</summary>
public sealed record Dequantize : Op
{
    public override string Kind => "dequantize";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Check(inputs[0].Quant is not null, $"input {inputs[0]} is not quantized");
        return [new TensorType(DataType.Float32, inputs[0].Shape)];
    }
}

/// <summary>
/// Quantized integer to quantized integer with other parameters (TFLite QUANTIZE between integer types):
/// q' = clamp(zp' + fixedPointMultiply(q - zp, scale / scale')). The output quantization must be declared.
/// </summary>
public sealed record Requantize(DataType OutDType) : Op
{
    public override string Kind => "requantize";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Check(inputs[0].DType.IsInteger() && inputs[0].Quant is not null, $"input {inputs[0]} is not a quantized integer tensor");
        Check(OutDType.IsInteger(), $"output type {OutDType.Name()} must be an integer type");
        return [new TensorType(OutDType, inputs[0].Shape)];
    }

    public override string FormatAttributes() => $"out={OutDType.Name()}";
}
