namespace Vta.Compiler.Graphs;

/// <summary>
/// Base of element-wise binary ops with NumPy broadcasting and a fused activation. Both inputs have the same
/// element type. Quantized inputs with a declared output quantization follow TFLite's integer kernels.
/// </summary>
public abstract record BinaryElementwiseOp(FusedActivation Activation) : Op
{
    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 2, 2);
        Check(inputs[0].DType == inputs[1].DType, $"element types differ: {inputs[0].DType.Name()} and {inputs[1].DType.Name()}");
        Shape shape = Broadcasting.Shapes(inputs[0].Shape, inputs[1].Shape);
        return [new TensorType(inputs[0].DType, shape)];
    }

    public override string FormatAttributes() => Activation == FusedActivation.None ? string.Empty : $"act={Activation.Name()}";
}

/// <summary>a + b.</summary>
public sealed record Add(FusedActivation Activation = FusedActivation.None) : BinaryElementwiseOp(Activation)
{
    public override string Kind => "add";
}

/// <summary>a - b.</summary>
public sealed record Sub(FusedActivation Activation = FusedActivation.None) : BinaryElementwiseOp(Activation)
{
    public override string Kind => "sub";
}

/// <summary>a * b.</summary>
public sealed record Mul(FusedActivation Activation = FusedActivation.None) : BinaryElementwiseOp(Activation)
{
    public override string Kind => "mul";
}

/// <summary>
/// Arithmetic right shift of integers a >> b (b >= 0), as in TVM's requantization (add, shift, clip, cast)
/// that VTA's ALU runs. Not defined for float or quantized tensors.
/// </summary>
public sealed record RightShift() : BinaryElementwiseOp(FusedActivation.None)
{
    public override string Kind => "right_shift";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        IReadOnlyList<TensorType> result = base.InferOutputs(inputs);
        Check(inputs[0].DType.IsInteger() && inputs[0].Quant is null && inputs[1].Quant is null, "needs plain (unquantized) integer inputs");
        return result;
    }
}
