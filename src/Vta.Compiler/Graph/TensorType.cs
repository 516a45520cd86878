namespace Vta.Compiler.Graphs;

/// <summary>The static type of a graph value: element type, shape and optional quantization.</summary>
public sealed record TensorType(DataType DType, Shape Shape, Quantization? Quant = null)
{
    public int Rank => Shape.Rank;

    public bool IsQuantized => Quant is not null;

    public TensorType WithShape(Shape shape) => this with { Shape = shape };

    public TensorType WithQuant(Quantization? quant) => this with { Quant = quant };

    public override string ToString() =>
        DType.Name() + Shape + (Quant is null ? string.Empty : " " + Quant);
}
