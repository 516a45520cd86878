using System.Globalization;

namespace Vta.Compiler.Graphs;

/// <summary>max(x, 0). On a quantized tensor: max(q, zeroPoint); the quantization passes through.</summary>
public sealed record Relu : Op
{
    public override string Kind => "relu";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        return [inputs[0]];
    }
}

/// <summary>
/// Clamps to [Min, Max]. Bounds are real values: on a quantized tensor they are quantized with its
/// parameters; on plain integers they are used as integers (TVM's clip after a shift).
/// </summary>
public sealed record Clip(float Min, float Max) : Op
{
    public override string Kind => "clip";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Check(!(Min > Max), $"min {Min} is above max {Max}");
        return [inputs[0]];
    }

    public override string FormatAttributes() => string.Create(CultureInfo.InvariantCulture, $"min={Min} max={Max}");
}

/// <summary>
/// Element type conversion with C semantics: integer to narrower integer keeps the low bits (as VTA's store
/// does), float to integer truncates toward zero and saturates. Quantization is dropped.
/// </summary>
public sealed record Cast(DataType OutDType) : Op
{
    public override string Kind => "cast";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        return [new TensorType(OutDType, inputs[0].Shape)];
    }

    public override string FormatAttributes() => $"out={OutDType.Name()}";
}

/// <summary>
/// Softmax along <see cref="Axis"/>: exp(beta x) normalized. Quantized input and declared output
/// quantization follow TFLite's integer reference kernel.
/// </summary>
public sealed record Softmax(int Axis = -1, float Beta = 1f) : Op
{
    public override string Kind => "softmax";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        inputs[0].Shape.NormalizeAxis(Axis);
        return [new TensorType(inputs[0].DType, inputs[0].Shape)];
    }

    public override string FormatAttributes() => string.Create(CultureInfo.InvariantCulture, $"axis={Axis} beta={Beta}");
}

/// <summary>
/// Inference-time batch normalization along <see cref="Axis"/> (the channel axis):
/// y = gamma (x - mean) / sqrt(var + epsilon) + beta. Inputs: x, gamma, beta, mean, var (each [C]). Float only.
/// </summary>
public sealed record BatchNorm(float Epsilon = 1e-5f, int Axis = 1) : Op
{
    public override string Kind => "batch_norm";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 5, 5);
        Check(inputs.All(t => t.DType == DataType.Float32), "batch norm is float only");
        int axis = inputs[0].Shape.NormalizeAxis(Axis);
        int c = inputs[0].Shape[axis];
        for (int i = 1; i < 5; i++)
        {
            Check(inputs[i].Shape == new Shape(c), $"parameter {i} has shape {inputs[i].Shape}, expected [{c}]");
        }
        return [inputs[0]];
    }

    public override string FormatAttributes() => string.Create(CultureInfo.InvariantCulture, $"epsilon={Epsilon} axis={Axis}");
}
