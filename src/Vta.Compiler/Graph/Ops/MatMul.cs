namespace Vta.Compiler.Graphs;

/// <summary>
/// Matrix product a b with a [..., M, K] and b [K, N] (ONNX MatMul with a 2-D right side); output [..., M, N].
/// Arithmetic as <see cref="Dense"/> without bias.
/// </summary>
public sealed record MatMul(DataType? OutDType = null) : Op
{
    public override string Kind => "matmul";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 2, 2);
        TensorType a = inputs[0];
        TensorType b = inputs[1];
        Check(a.Rank >= 2, $"left side must have rank >= 2, got {a.Shape}");
        CheckRank(b, 2, "right side");
        Check(a.Shape[^1] == b.Shape[0], $"{a.Shape} x {b.Shape}: inner dimensions differ");
        Check(a.DType.IsInteger() == b.DType.IsInteger(), $"{a.DType.Name()} x {b.DType.Name()} mixes float and integer");
        int[] dims = a.Shape.ToArray();
        dims[^1] = b.Shape[1];
        return [new TensorType(OutDType ?? a.DType, new Shape(dims))];
    }

    public override string FormatAttributes() => OutDType is { } t ? $"out={t.Name()}" : string.Empty;
}
