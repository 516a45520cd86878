namespace Vta.Compiler.Graphs;

/// <summary>
/// Base of the ONNX quantized operators (QuantizeLinear, QLinearConv, QLinearMatMul, QLinearAdd,
/// QLinearGlobalAveragePool), executed with ONNX Runtime's arithmetic rather than TFLite's: integer
/// accumulation, then a float32 requantization rounded half to even. Keeping these ops distinct from the
/// TFLite-semantics <see cref="Conv2d"/> and friends lets the reference executor reproduce a pre-quantized ONNX
/// model bit for bit. Inputs carry their quantization on their types; the output's must be declared.
/// </summary>
public abstract record QLinearOp(DataType OutDType) : Op
{
    public override string FormatAttributes() => $"out={OutDType.Name()}";

    protected static void CheckQuantizedInteger(TensorType t, string what, bool perTensor = true)
    {
        Check(t.DType is DataType.Int8 or DataType.UInt8, $"{what} must be int8 or uint8, got {t.DType.Name()}");
        Check(t.Quant is not null, $"{what} {t} has no quantization");
        Check(!perTensor || !t.Quant!.IsPerChannel, $"{what} must be quantized per tensor, got {t.Quant}");
    }

    protected void CheckOutType() =>
        Check(OutDType is DataType.Int8 or DataType.UInt8, $"output type {OutDType.Name()} must be int8 or uint8");
}

/// <summary>
/// ONNX QuantizeLinear as ONNX Runtime computes it: q = saturate(roundHalfEven(x / scale) + zeroPoint), the
/// division in float32. Per tensor or per axis (the declared output quantization says which).
/// </summary>
public sealed record QuantizeLinear(DataType OutDType) : QLinearOp(OutDType)
{
    public override string Kind => "quantize_linear";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        CheckOutType();
        Check(inputs[0].DType == DataType.Float32, $"input must be float32, got {inputs[0].DType.Name()}");
        return [new TensorType(OutDType, inputs[0].Shape)];
    }
}

/// <summary>
/// ONNX QLinearConv (NCHW data, OIHW weights). Inputs: x (per tensor), w (per tensor or per output channel,
/// axis 0), optional int32 bias [O]. acc = bias + sum (x - zx)(w - zw) in int32; y = saturate(roundHalfEven(acc *
/// s) + zy) with s = (sx * sw) / sy in float32.
/// </summary>
public sealed record QLinearConv2d(Size2d Strides, Pads2d Pads, Size2d Dilations, int Groups, DataType OutDType) : QLinearOp(OutDType)
{
    public override string Kind => "qlinear_conv2d";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 2, 3);
        CheckOutType();
        CheckQuantizedInteger(inputs[0], "data");
        CheckQuantizedInteger(inputs[1], "weights", perTensor: false);
        Check(!inputs[1].Quant!.IsPerChannel || inputs[1].Quant!.Axis == 0, $"weights must be quantized per output channel (axis 0), got {inputs[1].Quant}");
        Check(inputs.Count < 3 || inputs[2].DType == DataType.Int32, $"bias must be int32, got {(inputs.Count < 3 ? string.Empty : inputs[2].DType.Name())}");
        Conv2d geometry = ToConv2d();
        TensorType[] plain = [.. inputs.Select(t => new TensorType(DataType.Int32, t.Shape))];
        return [new TensorType(OutDType, geometry.InferOutputs(plain)[0].Shape)];
    }

    /// <summary>The same geometry as an int32-accumulating <see cref="Conv2d"/> (no quantization).</summary>
    public Conv2d ToConv2d() => new(Strides, Pads, Dilations, Groups, OutDType: DataType.Int32);

    public override string FormatAttributes() =>
        $"strides={Strides} pads={Pads} dilations={Dilations} groups={Groups} " + base.FormatAttributes();
}

/// <summary>
/// ONNX QLinearMatMul: a [..., M, K] (per tensor) times b [K, N] (per tensor or per column, axis 1), int32
/// accumulation, requantized like <see cref="QLinearConv2d"/>.
/// </summary>
public sealed record QLinearMatMul(DataType OutDType) : QLinearOp(OutDType)
{
    public override string Kind => "qlinear_matmul";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 2, 2);
        CheckOutType();
        CheckQuantizedInteger(inputs[0], "left side");
        CheckQuantizedInteger(inputs[1], "right side", perTensor: false);
        Check(!inputs[1].Quant!.IsPerChannel || inputs[1].Quant!.Axis == 1, $"right side must be quantized per column (axis 1), got {inputs[1].Quant}");
        TensorType[] plain = [.. inputs.Select(t => new TensorType(DataType.Int32, t.Shape))];
        return [new TensorType(OutDType, new MatMul(DataType.Int32).InferOutputs(plain)[0].Shape)];
    }
}

/// <summary>
/// com.microsoft QLinearAdd with NumPy broadcasting, as ONNX Runtime's x64 AVX2 kernel computes it, in float32:
/// y = saturate(roundHalfEven(fma(a, sa/sc, fma(b, sb/sc, zc - fma(sa/sc, za, sb/sc zb))))).
/// </summary>
public sealed record QLinearAdd(DataType OutDType) : QLinearOp(OutDType)
{
    public override string Kind => "qlinear_add";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 2, 2);
        CheckOutType();
        CheckQuantizedInteger(inputs[0], "left side");
        CheckQuantizedInteger(inputs[1], "right side");
        Check(inputs[0].DType == inputs[1].DType && inputs[0].DType == OutDType, "inputs and output must share one element type");
        return [new TensorType(OutDType, Broadcasting.Shapes(inputs[0].Shape, inputs[1].Shape))];
    }
}

/// <summary>
/// com.microsoft QLinearGlobalAveragePool (NCHW): acc = sum(x) - zx * H * W in int32, then
/// y = saturate(roundHalfEven(acc * sx / (sy * H * W)) + zy), the scale in float32. Output [N, C, 1, 1].
/// </summary>
public sealed record QLinearGlobalAvgPool(DataType OutDType) : QLinearOp(OutDType)
{
    public override string Kind => "qlinear_global_avg_pool2d";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        CheckOutType();
        CheckQuantizedInteger(inputs[0], "data");
        CheckRank(inputs[0], 4, "data");
        Shape s = inputs[0].Shape;
        return [new TensorType(OutDType, new Shape(s[0], s[1], 1, 1))];
    }
}
