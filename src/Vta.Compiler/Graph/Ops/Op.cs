namespace Vta.Compiler.Graphs;

/// <summary>
/// An operation with its attributes; one record type per op. Inputs are tensors named by the node;
/// attributes are record properties. <see cref="InferOutputs"/> gives the output types from the input types
/// (shape and element type; quantization only where the op passes it through unchanged — quantized ops get
/// their output quantization declared by whoever builds the graph).
/// </summary>
public abstract record Op
{
    /// <summary>Short lower-case op name, as printed: conv2d, add, reshape, ...</summary>
    public abstract string Kind { get; }

    /// <summary>Output types for these input types; throws <see cref="GraphException"/> with the reason.</summary>
    public abstract IReadOnlyList<TensorType> InferOutputs(IReadOnlyList<TensorType> inputs);

    /// <summary>Attributes as printed in graph text, e.g. "strides=2x2 pads=0,0,1,1".</summary>
    public virtual string FormatAttributes() => string.Empty;

    protected static void CheckArity(IReadOnlyList<TensorType> inputs, int min, int max)
    {
        if (inputs.Count < min || inputs.Count > max)
        {
            string expected = min == max ? $"{min}" : $"{min} to {max}";
            throw new GraphException($"expects {expected} inputs, got {inputs.Count}");
        }
    }

    protected static void CheckRank(TensorType t, int rank, string what)
    {
        if (t.Rank != rank)
        {
            throw new GraphException($"{what} must have rank {rank}, got shape {t.Shape}");
        }
    }

    protected static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new GraphException(message);
        }
    }

    /// <summary>Output size of a sliding window along one axis; floor division unless <paramref name="ceil"/>.</summary>
    protected static int WindowOutputSize(int input, int kernel, int stride, int padBefore, int padAfter, int dilation, bool ceil = false)
    {
        Check(stride > 0 && dilation > 0 && kernel > 0, $"kernel {kernel}, stride {stride} and dilation {dilation} must be positive");
        Check(padBefore >= 0 && padAfter >= 0, $"negative padding {padBefore},{padAfter}");
        int span = ((kernel - 1) * dilation) + 1;
        int padded = input + padBefore + padAfter;
        Check(padded >= span, $"window {span} is larger than the padded input {padded}");
        int steps = padded - span;
        int size = (ceil ? (steps + stride - 1) / stride : steps / stride) + 1;
        if (ceil && (size - 1) * stride >= input + padBefore)
        {
            size--; // ONNX/TVM rule: the last window must start inside the input or the leading padding
        }
        return size;
    }
}
