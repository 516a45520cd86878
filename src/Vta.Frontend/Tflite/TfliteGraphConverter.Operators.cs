using Vta.Compiler.Graphs;
using static Vta.Frontend.Tflite.TfliteSchema;

namespace Vta.Frontend.Tflite;

/// <summary>One converter per TFLite operator.</summary>
internal sealed partial class TfliteGraphConverter
{
    private void ConvertOperator(TfliteOperator op)
    {
        if (op.Code.CustomCode is not null)
        {
            throw Error(op, "custom operators are not supported");
        }
        switch (op.Code.BuiltinCode)
        {
            case TfliteBuiltinOperator.Conv2D: ConvertConv2d(op); break;
            case TfliteBuiltinOperator.DepthwiseConv2D: ConvertDepthwiseConv2d(op); break;
            case TfliteBuiltinOperator.FullyConnected: ConvertFullyConnected(op); break;
            case TfliteBuiltinOperator.AveragePool2D: ConvertPool(op, isMax: false); break;
            case TfliteBuiltinOperator.MaxPool2D: ConvertPool(op, isMax: true); break;
            case TfliteBuiltinOperator.Add: ConvertElementwise(op, new Add(Activation(op, ElementwiseOptions.FusedActivation))); break;
            case TfliteBuiltinOperator.Sub: ConvertElementwise(op, new Sub(Activation(op, ElementwiseOptions.FusedActivation))); break;
            case TfliteBuiltinOperator.Mul: ConvertElementwise(op, new Mul(Activation(op, ElementwiseOptions.FusedActivation))); break;
            case TfliteBuiltinOperator.Reshape: ConvertReshape(op); break;
            case TfliteBuiltinOperator.Squeeze: AddNode(op, new Reshape(new Shape(SqueezedShape(op))), [Input(op, 0)]); break;
            case TfliteBuiltinOperator.Softmax: AddNode(op, new Softmax(-1, op.Options.GetFloat(SoftmaxOptions.Beta)), [Input(op, 0)]); break;
            case TfliteBuiltinOperator.Mean: ConvertMean(op); break;
            case TfliteBuiltinOperator.Concatenation: ConvertConcatenation(op); break;
            case TfliteBuiltinOperator.Pad or TfliteBuiltinOperator.PadV2: ConvertPad(op); break;
            case TfliteBuiltinOperator.Transpose: AddNode(op, new Transpose(ConstantInts(op, 1).Select(v => (int)v).ToArray()), [Input(op, 0)]); break;
            case TfliteBuiltinOperator.Relu: ConvertActivation(op, new Relu()); break;
            case TfliteBuiltinOperator.Relu6: ConvertActivation(op, new Clip(0, 6)); break;
            case TfliteBuiltinOperator.ReluN1To1: ConvertActivation(op, new Clip(-1, 1)); break;
            case TfliteBuiltinOperator.Quantize: ConvertQuantize(op); break;
            case TfliteBuiltinOperator.Dequantize: AddNode(op, new Dequantize(), [Input(op, 0)]); break;
            default:
                throw Error(op, $"operator {op.Code.Name} is not supported (output '{OutputName(op)}')");
        }
    }

    private void ConvertConv2d(TfliteOperator op)
    {
        TfliteTensor data = InputTensor(op, 0), weights = InputTensor(op, 1);
        RequireRank(op, data, 4);
        RequireRank(op, weights, 4);
        Size2d strides = Strides(op, Conv2DOptions.StrideH, Conv2DOptions.StrideW);
        Size2d dilations = new(op.Options.GetInt(Conv2DOptions.DilationH, 1), op.Options.GetInt(Conv2DOptions.DilationW, 1));
        // Data NHWC, weights OHWI.
        Pads2d pads = Padding(op, Conv2DOptions.Padding, data.Shape[1], data.Shape[2], weights.Shape[1], weights.Shape[2], strides, dilations);
        int groups = data.Shape[3] / Math.Max(weights.Shape[3], 1);
        Conv2d conv = new(strides, pads, dilations, groups, Activation(op, Conv2DOptions.FusedActivation), DataLayout.Nhwc, KernelLayout.Ohwi);
        AddNode(op, conv, WithOptionalBias(op));
    }

    private void ConvertDepthwiseConv2d(TfliteOperator op)
    {
        TfliteTensor data = InputTensor(op, 0), weights = InputTensor(op, 1);
        RequireRank(op, data, 4);
        RequireRank(op, weights, 4);
        Size2d strides = Strides(op, DepthwiseConv2DOptions.StrideH, DepthwiseConv2DOptions.StrideW);
        Size2d dilations = new(op.Options.GetInt(DepthwiseConv2DOptions.DilationH, 1), op.Options.GetInt(DepthwiseConv2DOptions.DilationW, 1));
        // Data NHWC, weights [1, KH, KW, C * multiplier]; the multiplier follows from the shapes (the option is unreliable in old files).
        Pads2d pads = Padding(op, DepthwiseConv2DOptions.Padding, data.Shape[1], data.Shape[2], weights.Shape[1], weights.Shape[2], strides, dilations);
        int multiplier = weights.Shape[3] / Math.Max(data.Shape[3], 1);
        DepthwiseConv2d conv = new(strides, pads, dilations, multiplier, Activation(op, DepthwiseConv2DOptions.FusedActivation),
            DataLayout.Nhwc, KernelLayout.Ihwo);
        AddNode(op, conv, WithOptionalBias(op));
    }

    private void ConvertFullyConnected(TfliteOperator op)
    {
        if (op.Options.GetByte(FullyConnectedOptions.WeightsFormat) != 0)
        {
            throw Error(op, "shuffled FULLY_CONNECTED weights are not supported");
        }
        TfliteTensor data = InputTensor(op, 0), weights = InputTensor(op, 1);
        RequireRank(op, weights, 2);
        int k = weights.Shape[1];
        string input = Input(op, 0);
        Shape dataShape = new(data.Shape);
        if (k == 0 || dataShape.ElementCount % k != 0)
        {
            throw Error(op, $"input shape {dataShape} does not flatten to rows of {k}");
        }
        Shape rows = new(dataShape.ElementCount / k, k);
        if (dataShape != rows)
        {
            // TFLite flattens the input to [-1, K]; the graph makes that an explicit reshape.
            input = AddHelperNode(NodeName(op) + "_flatten", _valueNames[RequiredInput(op, 0)] + "/flatten", new Reshape(rows), [input]);
        }
        List<string> inputs = [input, Input(op, 1)];
        if (OptionalInput(op, 2) is { } bias)
        {
            inputs.Add(bias);
        }
        Dense dense = new(Activation(op, FullyConnectedOptions.FusedActivation));
        Shape outShape = new(OutputTensor(op).Shape);
        Shape flatOut = new(rows[0], weights.Shape[0]);
        if (outShape.Rank == 0 || outShape == flatOut)
        {
            AddNode(op, dense, inputs);
            return;
        }
        // keep_num_dims: the dense result is reshaped back to the input's leading dimensions.
        string flat = _builder.UniqueValueName(OutputName(op) + "/dense");
        _builder.AddNode(_builder.UniqueNodeName(NodeName(op) + "_dense"), dense, inputs, flat, QuantizationOf(OutputTensor(op)));
        AddNode(op, new Reshape(outShape), [flat]);
    }

    private void ConvertPool(TfliteOperator op, bool isMax)
    {
        TfliteTensor data = InputTensor(op, 0);
        RequireRank(op, data, 4);
        Size2d strides = Strides(op, Pool2DOptions.StrideH, Pool2DOptions.StrideW);
        Size2d kernel = new(op.Options.GetInt(Pool2DOptions.FilterHeight), op.Options.GetInt(Pool2DOptions.FilterWidth));
        Pads2d pads = Padding(op, Pool2DOptions.Padding, data.Shape[1], data.Shape[2], kernel.H, kernel.W, strides, Size2d.One);
        FusedActivation activation = Activation(op, Pool2DOptions.FusedActivation);
        Op pool = isMax
            ? new MaxPool(kernel, strides, pads, DataLayout.Nhwc, Activation: activation)
            : new AvgPool(kernel, strides, pads, DataLayout.Nhwc, Activation: activation);
        AddNode(op, pool, [Input(op, 0)]);
    }

    private void ConvertElementwise(TfliteOperator op, Op graphOp) => AddNode(op, graphOp, [Input(op, 0), Input(op, 1)]);

    private void ConvertReshape(TfliteOperator op)
    {
        Shape input = new(InputTensor(op, 0).Shape);
        Shape target;
        if (op.Inputs.Length > 1 && op.Inputs[1] >= 0 && IsConstant(op.Inputs[1]))
        {
            target = Reshape.Resolve(input, ConstantInts(op, 1), zeroCopiesInput: false);
        }
        else if (op.Options.GetIntVector(ReshapeOptions.NewShape) is { Length: > 0 } newShape)
        {
            target = Reshape.Resolve(input, newShape.Select(d => (long)d).ToArray(), zeroCopiesInput: false);
        }
        else
        {
            target = new Shape(OutputTensor(op).Shape);
        }
        AddNode(op, new Reshape(target), [Input(op, 0)]);
    }

    private void ConvertMean(TfliteOperator op)
    {
        int[] axes = ConstantInts(op, 1).Select(a => (int)a).ToArray();
        AddNode(op, new Mean(axes, op.Options.GetBool(ReducerOptions.KeepDims)), [Input(op, 0)]);
    }

    private void ConvertConcatenation(TfliteOperator op)
    {
        if (Activation(op, ConcatenationOptions.FusedActivation) != FusedActivation.None)
        {
            throw Error(op, "a fused activation on CONCATENATION is not supported");
        }
        string[] inputs = op.Inputs.Select(i => Value(i, op)).ToArray();
        AddNode(op, new Concat(op.Options.GetInt(ConcatenationOptions.Axis)), inputs);
    }

    private void ConvertPad(TfliteOperator op)
    {
        long[] paddings = ConstantInts(op, 1);
        int rank = InputTensor(op, 0).Shape.Length;
        if (paddings.Length != 2 * rank)
        {
            throw Error(op, $"{paddings.Length} padding values for rank {rank}");
        }
        // TFLite stores [[before, after], ...] per axis; the graph wants all befores, then all afters.
        int[] pads = new int[2 * rank];
        for (int d = 0; d < rank; d++)
        {
            pads[d] = checked((int)paddings[2 * d]);
            pads[rank + d] = checked((int)paddings[(2 * d) + 1]);
        }
        float value = 0;
        if (OptionalInput(op, 2) is { } padValue)
        {
            Vta.Compiler.Graphs.Tensor constant = _builder.ConstantOf(padValue) ?? throw Error(op, "the pad value must be a constant");
            value = constant.Dequantize()[0];
        }
        AddNode(op, new Pad(pads, value), [Input(op, 0)]);
    }

    /// <summary>RELU / RELU6 / RELU_N1_TO_1; when the output is quantized differently, TFLite requantizes first.</summary>
    private void ConvertActivation(TfliteOperator op, Op activation)
    {
        string input = Input(op, 0);
        Quantization? inQ = _builder.TypeOf(input).Quant;
        Quantization? outQ = QuantizationOf(OutputTensor(op));
        if (inQ is not null && outQ is not null && inQ != outQ)
        {
            string requantized = _builder.UniqueValueName(OutputName(op) + "/requantize");
            _builder.AddNode(_builder.UniqueNodeName(NodeName(op) + "_requantize"), new Requantize(_builder.TypeOf(input).DType), [input], requantized, outQ);
            input = requantized;
        }
        AddNode(op, activation, [input]);
    }

    private void ConvertQuantize(TfliteOperator op)
    {
        string input = Input(op, 0);
        DataType outType = TypeOf(op.Outputs[0], op).DType;
        Op quantize = _builder.TypeOf(input).DType == DataType.Float32 ? new Quantize(outType) : new Requantize(outType);
        AddNode(op, quantize, [input]);
    }

    private string[] WithOptionalBias(TfliteOperator op) =>
        OptionalInput(op, 2) is { } bias ? [Input(op, 0), Input(op, 1), bias] : [Input(op, 0), Input(op, 1)];

    private int[] SqueezedShape(TfliteOperator op)
    {
        int[] shape = InputTensor(op, 0).Shape;
        int[] dims = op.Options.GetIntVector(SqueezeOptions.SqueezeDims) ?? [];
        HashSet<int> squeeze = dims.Length == 0
            ? Enumerable.Range(0, shape.Length).Where(d => shape[d] == 1).ToHashSet()
            : dims.Select(d => d < 0 ? d + shape.Length : d).ToHashSet();
        return Enumerable.Range(0, shape.Length).Where(d => !squeeze.Contains(d)).Select(d => shape[d]).ToArray();
    }

    private TfliteTensor OutputTensor(TfliteOperator op) => _subgraph.Tensors[op.Outputs[0]];

    private string OutputName(TfliteOperator op) => op.Outputs.Length == 0 ? "(none)" : _valueNames[op.Outputs[0]];

    private void RequireRank(TfliteOperator op, TfliteTensor tensor, int rank)
    {
        if (tensor.Shape.Length != rank)
        {
            throw Error(op, $"tensor '{tensor.Name}' has shape [{string.Join(",", tensor.Shape)}], expected rank {rank}");
        }
    }

    private Size2d Strides(TfliteOperator op, int strideHField, int strideWField)
    {
        Size2d strides = new(op.Options.GetInt(strideHField), op.Options.GetInt(strideWField));
        if (strides.H <= 0 || strides.W <= 0)
        {
            throw Error(op, $"bad strides {strides}");
        }
        return strides;
    }

    private FusedActivation Activation(TfliteOperator op, int field) => op.Options.GetByte(field) switch
    {
        0 => FusedActivation.None,
        1 => FusedActivation.Relu,
        2 => FusedActivation.ReluN1To1,
        3 => FusedActivation.Relu6,
        byte other => throw Error(op, $"fused activation {(other == 4 ? "TANH" : other == 5 ? "SIGN_BIT" : other.ToString(System.Globalization.CultureInfo.InvariantCulture))} is not supported"),
    };

    /// <summary>TFLite's SAME padding (extra row/column at the bottom/right) or VALID (none).</summary>
    private Pads2d Padding(TfliteOperator op, int field, int inH, int inW, int kh, int kw, Size2d strides, Size2d dilations)
    {
        int mode = op.Options.GetByte(field);
        if (mode == PaddingValid)
        {
            return Pads2d.Zero;
        }
        if (mode != PaddingSame)
        {
            throw Error(op, $"unknown padding mode {mode}");
        }
        (int top, int bottom) = SamePadding(inH, kh, strides.H, dilations.H);
        (int left, int right) = SamePadding(inW, kw, strides.W, dilations.W);
        return new Pads2d(top, left, bottom, right);
    }

    private static (int Before, int After) SamePadding(int input, int kernel, int stride, int dilation)
    {
        int effective = ((kernel - 1) * dilation) + 1;
        int output = (input + stride - 1) / stride;
        int total = Math.Max(((output - 1) * stride) + effective - input, 0);
        return (total / 2, total - (total / 2));
    }
}
