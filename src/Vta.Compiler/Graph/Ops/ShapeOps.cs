namespace Vta.Compiler.Graphs;

/// <summary>Same elements, another shape of the same size. Quantization passes through.</summary>
public sealed record Reshape(Shape NewShape) : Op
{
    public override string Kind => "reshape";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Check(inputs[0].Shape.ElementCount == NewShape.ElementCount,
            $"cannot reshape {inputs[0].Shape} ({inputs[0].Shape.ElementCount} elements) to {NewShape}");
        return [inputs[0].WithShape(NewShape)];
    }

    public override string FormatAttributes() => $"shape={NewShape}";

    /// <summary>
    /// Resolves a frontend's target shape against the input shape: one -1 takes the remaining size, and
    /// (when <paramref name="zeroCopiesInput"/>, as in ONNX and TFLite) a 0 copies the input's dimension.
    /// </summary>
    public static Shape Resolve(Shape input, IReadOnlyList<long> spec, bool zeroCopiesInput = true)
    {
        int[] dims = new int[spec.Count];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < spec.Count; i++)
        {
            long d = spec[i];
            if (d == -1)
            {
                Check(inferred < 0, $"more than one -1 in target shape [{string.Join(",", spec)}]");
                inferred = i;
                continue;
            }
            if (d == 0 && zeroCopiesInput)
            {
                Check(i < input.Rank, $"0 at position {i} of [{string.Join(",", spec)}] has no input dimension to copy");
                d = input[i];
            }
            Check(d >= 0 && d <= int.MaxValue, $"bad dimension {d} in target shape [{string.Join(",", spec)}]");
            dims[i] = (int)d;
            known *= d;
        }
        if (inferred >= 0)
        {
            Check(known > 0 && input.ElementCount % known == 0, $"cannot infer -1 reshaping {input} to [{string.Join(",", spec)}]");
            dims[inferred] = (int)(input.ElementCount / known);
        }
        return new Shape(dims);
    }
}

/// <summary>To 2-D: [prod(dims before Axis), prod(dims from Axis)] (ONNX Flatten). Quantization passes through.</summary>
public sealed record Flatten(int Axis = 1) : Op
{
    public override string Kind => "flatten";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Shape s = inputs[0].Shape;
        int axis = Axis < 0 ? Axis + s.Rank : Axis;
        Check(axis >= 0 && axis <= s.Rank, $"axis {Axis} out of range for {s}");
        int outer = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= s[d];
        }
        return [inputs[0].WithShape(new Shape(outer, s.ElementCount / Math.Max(outer, 1)))];
    }

    public override string FormatAttributes() => $"axis={Axis}";
}

/// <summary>
/// Joins tensors along <see cref="Axis"/>. Quantized inputs are requantized to the output's (declared, else
/// the first input's) quantization, as TFLite does.
/// </summary>
public sealed record Concat(int Axis) : Op
{
    public override string Kind => "concat";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        Check(inputs.Count >= 1, "needs at least one input");
        Shape first = inputs[0].Shape;
        int axis = first.NormalizeAxis(Axis);
        int total = 0;
        foreach (TensorType t in inputs)
        {
            Check(t.DType == inputs[0].DType, $"element types differ: {inputs[0].DType.Name()} and {t.DType.Name()}");
            Check(t.Rank == first.Rank, $"ranks differ: {first} and {t.Shape}");
            for (int d = 0; d < first.Rank; d++)
            {
                Check(d == axis || t.Shape[d] == first[d], $"shapes {first} and {t.Shape} differ outside axis {axis}");
            }
            total += t.Shape[axis];
        }
        return [inputs[0].WithShape(first.WithDim(axis, total))];
    }

    public override string FormatAttributes() => $"axis={Axis}";
}

/// <summary>
/// Constant padding. <see cref="Pads"/> lists the amounts before each axis, then after each axis (ONNX order),
/// 2 x rank values, non-negative. The pad value is real: on a quantized tensor it is quantized (0 gives the zero point).
/// </summary>
public sealed record Pad(EquatableArray<int> Pads, float Value = 0f) : Op
{
    public override string Kind => "pad";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Shape s = inputs[0].Shape;
        Check(Pads.Count == 2 * s.Rank, $"{Pads.Count} pad amounts for rank {s.Rank} (need {2 * s.Rank})");
        Check(Pads.All(p => p >= 0), $"negative pads {Pads}");
        int[] dims = new int[s.Rank];
        for (int d = 0; d < s.Rank; d++)
        {
            dims[d] = s[d] + Pads[d] + Pads[d + s.Rank];
        }
        return [inputs[0].WithShape(new Shape(dims))];
    }

    public override string FormatAttributes() => $"pads={Pads} value={Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Permutes axes: output axis i is input axis Perm[i]. A per-channel quantization axis moves with it.</summary>
public sealed record Transpose(EquatableArray<int> Perm) : Op
{
    public override string Kind => "transpose";

    public override IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs)
    {
        CheckArity(inputs, 1, 1);
        Shape s = inputs[0].Shape;
        Check(Perm.Count == s.Rank && Perm.Order().SequenceEqual(Enumerable.Range(0, s.Rank)), $"{Perm} is not a permutation of rank {s.Rank}");
        Shape shape = new(Perm.Select(p => s[p]));
        Quantization? q = inputs[0].Quant;
        if (q is { IsPerChannel: true })
        {
            q = new Quantization(q.Scales, q.ZeroPoints, Perm.ToArray().AsSpan().IndexOf(q.Axis));
        }
        return [new TensorType(inputs[0].DType, shape, q)];
    }

    public override string FormatAttributes() => $"perm={Perm}";
}
