using Vta.Compiler.Graphs;

namespace Vta.Frontend.Onnx;

/// <summary>The float NCHW operators.</summary>
internal sealed partial class OnnxGraphConverter
{
    private void Conv(OnnxNode n)
    {
        string x = Value(n.RequireInput(0));
        string w = Value(n.RequireInput(1));
        List<string> inputs = [x, w];
        if (n.InputName(2) is { } bias)
        {
            inputs.Add(Value(bias));
        }
        Conv2d op = ConvGeometry(n, _builder.TypeOf(x).Shape, _builder.TypeOf(w).Shape);
        AddNode(n, op, inputs);
    }

    /// <summary>Conv / QLinearConv attributes for 2-D NCHW data and OIHW weights.</summary>
    private static Conv2d ConvGeometry(OnnxNode n, Shape data, Shape weights)
    {
        if (data.Rank != 4 || weights.Rank != 4)
        {
            throw new InvalidDataException($"only 2-D convolution is supported (data {data}, weights {weights})");
        }
        long[] kernel = n.Attrs.Ints("kernel_shape") ?? [weights[2], weights[3]];
        if (kernel.Length != 2 || kernel[0] != weights[2] || kernel[1] != weights[3])
        {
            throw new InvalidDataException($"kernel_shape [{string.Join(",", kernel)}] disagrees with weights {weights}");
        }
        Size2d strides = Pair(n, "strides");
        Size2d dilations = Pair(n, "dilations");
        Pads2d pads = Padding(n, new Size2d(data[2], data[3]), new Size2d(weights[2], weights[3]), strides, dilations);
        return new Conv2d(strides, pads, dilations, checked((int)n.Attrs.Int("group", 1)));
    }

    private void Gemm(OnnxNode n)
    {
        float alpha = n.Attrs.Float("alpha", 1f), beta = n.Attrs.Float("beta", 1f);
        bool transA = n.Attrs.Int("transA", 0) != 0, transB = n.Attrs.Int("transB", 0) != 0;
        if (transA)
        {
            throw new InvalidDataException("transA = 1 is not supported");
        }
        string a = Value(n.RequireInput(0));
        Tensor? b = ConstantOf(n.RequireInput(1));
        string? cName = n.InputName(2);
        Tensor? c = ConstantOf(cName);
        if (b is null)
        {
            if (transB || alpha != 1f)
            {
                throw new InvalidDataException("a non-constant B needs transB = 0 and alpha = 1");
            }
            AddGemmBias(n, MatMulNode(n, a, Value(n.RequireInput(1)), cName is null), cName, c, beta);
            return;
        }
        // Dense takes weights [N, K]: B as stored when transB = 1, else transposed here once.
        int units = transB ? b.Shape[0] : b.Shape[1];
        string weights = transB && alpha == 1f ? Value(n.RequireInput(1))
            : AddDerivedConstant(n.RequireInput(1) + "_dense", Scaled(transB ? b : Transpose2d(b), alpha));
        bool vectorBias = c is not null && (c.Shape.ElementCount == units || c.Shape.ElementCount == 1) && c.Shape.Rank <= 2
            && (c.Shape.Rank < 2 || c.Shape[0] == 1);
        if (!vectorBias)
        {
            AddGemmBias(n, DenseNode(n, a, weights, null, cName is null), cName, c, beta);
            return;
        }
        string bias = c!.Shape.Rank == 1 && c.Shape[0] == units && beta == 1f ? Value(cName!)
            : AddDerivedConstant(cName + "_bias", Scaled(Broadcast(c, units), beta));
        DenseNode(n, a, weights, bias, final: true);
    }

    private string DenseNode(OnnxNode n, string a, string weights, string? bias, bool final)
    {
        string output = final ? n.Output() : _builder.UniqueValueName(n.Output() + "_gemm");
        string name = final ? n.Name : _builder.UniqueNodeName(n.Name + "_gemm");
        _builder.AddNode(name, new Dense(), bias is null ? [a, weights] : [a, weights, bias], output);
        return output;
    }

    private string MatMulNode(OnnxNode n, string a, string b, bool final)
    {
        string output = final ? n.Output() : _builder.UniqueValueName(n.Output() + "_matmul");
        string name = final ? n.Name : _builder.UniqueNodeName(n.Name + "_matmul");
        _builder.AddNode(name, new MatMul(), [a, b], output);
        return output;
    }

    /// <summary>Adds Gemm's C as a separate (broadcasting) Add when it is not a per-unit bias vector.</summary>
    private void AddGemmBias(OnnxNode n, string product, string? cName, Tensor? c, float beta)
    {
        if (cName is null)
        {
            return;
        }
        if (c is null && beta != 1f)
        {
            throw new InvalidDataException("a non-constant C needs beta = 1");
        }
        string bias = c is null || beta == 1f ? Value(cName) : AddDerivedConstant(cName + "_scaled", Scaled(c, beta));
        AddNode(n, new Add(), [product, bias]);
    }

    private void MatMulOp(OnnxNode n) => AddNode(n, new MatMul(), [Value(n.RequireInput(0)), Value(n.RequireInput(1))]);

    private void Binary(OnnxNode n, BinaryElementwiseOp op)
    {
        if (n.Attrs.Has("broadcast"))
        {
            throw new InvalidDataException("the legacy 'broadcast' attribute (opset < 7) is not supported");
        }
        AddNode(n, op, [Value(n.RequireInput(0)), Value(n.RequireInput(1))]);
    }

    private void ClipOp(OnnxNode n)
    {
        float min, max;
        if (_opset < 11)
        {
            min = n.Attrs.Float("min", float.NegativeInfinity);
            max = n.Attrs.Float("max", float.PositiveInfinity);
        }
        else
        {
            min = n.InputName(1) is null ? float.NegativeInfinity : ScalarOf(RequireConstant(n, 1, "min"));
            max = n.InputName(2) is null ? float.PositiveInfinity : ScalarOf(RequireConstant(n, 2, "max"));
        }
        AddNode(n, new Clip(min, max), [Value(n.RequireInput(0))]);
    }

    private void Pool(OnnxNode n, bool isMax)
    {
        n.RequireOutputsAtMost(1);
        string x = Value(n.RequireInput(0));
        Shape shape = _builder.TypeOf(x).Shape;
        if (shape.Rank != 4)
        {
            throw new InvalidDataException($"only 2-D pooling is supported (data {shape})");
        }
        long[] k = n.Attrs.Ints("kernel_shape") ?? throw new InvalidDataException("kernel_shape is required");
        if (k.Length != 2)
        {
            throw new InvalidDataException($"kernel_shape [{string.Join(",", k)}] is not 2-D");
        }
        Size2d kernel = new(checked((int)k[0]), checked((int)k[1]));
        Size2d strides = Pair(n, "strides");
        Size2d dilations = Pair(n, "dilations");
        if (dilations != Size2d.One || n.Attrs.Int("storage_order", 0) != 0)
        {
            throw new InvalidDataException("pooling dilations and storage_order = 1 are not supported");
        }
        Pads2d pads = Padding(n, new Size2d(shape[2], shape[3]), kernel, strides, dilations);
        bool ceil = n.Attrs.Int("ceil_mode", 0) != 0;
        Op op = isMax
            ? new MaxPool(kernel, strides, pads, CeilMode: ceil)
            : new AvgPool(kernel, strides, pads, CountIncludePad: n.Attrs.Int("count_include_pad", 0) != 0, CeilMode: ceil);
        AddNode(n, op, [x]);
    }

    private void BatchNormalization(OnnxNode n)
    {
        if (n.Attrs.Int("spatial", 1) != 1 || n.Attrs.Int("training_mode", 0) != 0)
        {
            throw new InvalidDataException("only inference-mode, spatial batch normalization is supported");
        }
        string[] inputs = [.. Enumerable.Range(0, 5).Select(i => Value(n.RequireInput(i)))];
        AddNode(n, new BatchNorm(n.Attrs.Float("epsilon", 1e-5f)), inputs);
    }

    private void FlattenOp(OnnxNode n) => AddNode(n, new Flatten(checked((int)n.Attrs.Int("axis", 1))), [Value(n.RequireInput(0))]);

    private void ReshapeOp(OnnxNode n)
    {
        string input = n.RequireInput(0);
        long[] spec = _opset < 5 ? n.Attrs.Ints("shape") ?? throw new InvalidDataException("shape attribute is required")
            : RequireConstant(n, 1, "the target shape").ToInt64Values();
        Shape target = Reshape.Resolve(TypeOfValue(input).Shape, spec, zeroCopiesInput: n.Attrs.Int("allowzero", 0) == 0);
        if (ConstantOf(input) is { } constant)
        {
            SetConstant(n, constant.Reshape(target));
            return;
        }
        AddNode(n, new Reshape(target), [Value(input)]);
    }

    private void ConcatOp(OnnxNode n)
    {
        int axis = checked((int)n.Attrs.Int("axis", 0));
        string[] names = [.. Enumerable.Range(0, n.InputCount).Select(n.RequireInput)];
        if (names.All(v => ConstantOf(v) is not null))
        {
            SetConstant(n, ConcatConstants(names.Select(v => ConstantOf(v)!).ToArray(), axis));
            return;
        }
        string[] values = [.. names.Select(v => Value(v))];
        AddNode(n, new Concat(axis), values);
    }

    private void PadOp(OnnxNode n)
    {
        string mode = n.Attrs.String("mode", "constant");
        if (mode != "constant")
        {
            throw new InvalidDataException($"pad mode '{mode}' is not supported (only 'constant')");
        }
        string x = Value(n.RequireInput(0));
        int rank = _builder.TypeOf(x).Rank;
        long[] pads;
        float value;
        if (_opset < 11)
        {
            pads = n.Attrs.Ints("pads") ?? throw new InvalidDataException("pads attribute is required");
            value = n.Attrs.Float("value", 0f);
        }
        else
        {
            pads = RequireConstant(n, 1, "pads").ToInt64Values();
            value = n.InputName(2) is null ? 0f : ScalarOf(RequireConstant(n, 2, "constant_value"));
            if (n.InputName(3) is not null)
            {
                pads = PadsForAxes(pads, RequireConstant(n, 3, "axes").ToInt64Values(), rank);
            }
        }
        AddNode(n, new Pad(pads.Select(p => checked((int)p)).ToArray(), value), [x]);
    }

    private void SoftmaxOp(OnnxNode n)
    {
        string x = Value(n.RequireInput(0));
        Shape shape = _builder.TypeOf(x).Shape;
        int axis = shape.NormalizeAxis(checked((int)n.Attrs.Int("axis", _opset < 13 ? 1 : -1)));
        if (_opset >= 13 || axis == shape.Rank - 1)
        {
            AddNode(n, new Softmax(axis == shape.Rank - 1 ? -1 : axis), [x]);
            return;
        }
        // Before opset 13 Softmax works on the input coerced to 2-D at 'axis': flatten, normalize rows, restore.
        string flat = _builder.UniqueValueName(n.Output() + "_2d");
        _builder.AddNode(_builder.UniqueNodeName(n.Name + "_flatten"), new Flatten(axis), [x], flat);
        string normalized = _builder.UniqueValueName(n.Output() + "_softmax");
        _builder.AddNode(_builder.UniqueNodeName(n.Name + "_softmax"), new Softmax(-1), [flat], normalized);
        AddNode(n, new Reshape(shape), [normalized]);
    }

    private void TransposeOp(OnnxNode n)
    {
        string x = Value(n.RequireInput(0));
        int rank = _builder.TypeOf(x).Rank;
        int[] perm = n.Attrs.Ints("perm")?.Select(p => checked((int)p)).ToArray() ?? [.. Enumerable.Range(0, rank).Reverse()];
        AddNode(n, new Transpose(perm), [x]);
    }

    private void Alias(OnnxNode n) => _aliases[n.Output()] = Resolve(n.RequireInput(0));

    private static Size2d Pair(OnnxNode n, string name)
    {
        long[] v = n.Attrs.Ints(name) ?? [1, 1];
        return v.Length == 2 ? new Size2d(checked((int)v[0]), checked((int)v[1]))
            : throw new InvalidDataException($"{name} [{string.Join(",", v)}] is not 2-D");
    }

    /// <summary>Explicit pads, or those auto_pad implies (SAME_UPPER puts the odd one after, SAME_LOWER before).</summary>
    private static Pads2d Padding(OnnxNode n, Size2d input, Size2d kernel, Size2d strides, Size2d dilations)
    {
        string autoPad = n.Attrs.String("auto_pad", "NOTSET");
        if (autoPad is "NOTSET" or "")
        {
            long[] p = n.Attrs.Ints("pads") ?? [0, 0, 0, 0];
            return p.Length == 4 ? new Pads2d(checked((int)p[0]), checked((int)p[1]), checked((int)p[2]), checked((int)p[3]))
                : throw new InvalidDataException($"pads [{string.Join(",", p)}] is not 2-D");
        }
        if (autoPad == "VALID")
        {
            return Pads2d.Zero;
        }
        if (autoPad is not ("SAME_UPPER" or "SAME_LOWER"))
        {
            throw new InvalidDataException($"auto_pad '{autoPad}' is not supported");
        }
        (int before, int after) Same(int size, int k, int s, int d)
        {
            int output = (size + s - 1) / s;
            int total = Math.Max(0, ((output - 1) * s) + ((k - 1) * d) + 1 - size);
            int small = total / 2;
            return autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
        }
        (int top, int bottom) = Same(input.H, kernel.H, strides.H, dilations.H);
        (int left, int right) = Same(input.W, kernel.W, strides.W, dilations.W);
        return new Pads2d(top, left, bottom, right);
    }
}
