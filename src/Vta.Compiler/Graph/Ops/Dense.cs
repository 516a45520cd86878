namespace Vta.Compiler.Graphs;

/// <summary>
/// Fully connected layer y = x W^T + b. Inputs: x [N, K], weights [U, K] (TVM/TFLite convention), optional
/// bias [U]; output [N, U]. Arithmetic as <see cref="Conv2d"/> (float, TFLite-quantized, or raw integer).
/// </summary>
public sealed record Dense(FusedActivation Activation = FusedActivation.None, DataType? OutDType = null) : Op
{
    public override string Kind => "dense";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 2, 3);
        TensorType x = inputs[0];
        TensorType w = inputs[1];
        CheckRank(x, 2, "data");
        CheckRank(w, 2, "weights");
        Check(x.Shape[1] == w.Shape[1], $"data {x.Shape} and weights {w.Shape} disagree on K");
        Check(x.DType.IsInteger() == w.DType.IsInteger(), $"data {x.DType.Name()} and weights {w.DType.Name()} mix float and integer");
        if (inputs.Count == 3)
        {
            Check(inputs[2].Shape == new Shape(w.Shape[0]), $"bias shape {inputs[2].Shape} should be [{w.Shape[0]}]");
        }
        return [new TensorType(OutDType ?? x.DType, new Shape(x.Shape[0], w.Shape[0]))];
    }

    public override string FormatAttributes() =>
        $"act={Activation.Name()}" + (OutDType is { } t ? $" out={t.Name()}" : string.Empty);
}
