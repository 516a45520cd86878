using Vta.Compiler.Graphs;

namespace Vta.Frontend.Onnx;

/// <summary>
/// QuantizeLinear, DequantizeLinear and the QLinear operators. Scale and zero-point inputs become the quantization
/// of the tensors they describe (constants take it when first used; other values must already carry it).
/// </summary>
internal sealed partial class OnnxGraphConverter
{
    /// <summary>For each quantized operator, its (value, scale, zero point) input positions.</summary>
    private static readonly Dictionary<string, (int Value, int Scale, int ZeroPoint)[]> QuantizedInputs = new()
    {
        ["QLinearConv"] = [(0, 1, 2)],
        ["QLinearMatMul"] = [(0, 1, 2), (3, 4, 5)],
        ["QLinearAdd"] = [(0, 1, 2), (3, 4, 5)],
        ["QLinearGlobalAveragePool"] = [(0, 1, 2)],
        ["DequantizeLinear"] = [(0, 1, 2)],
    };

    private void QuantizeLinearOp(OnnxNode n)
    {
        string x = Value(n.RequireInput(0));
        TensorType xType = _builder.TypeOf(x);
        (Quantization q, DataType? type) = QuantParams(n, 1, 2, AxisAttr(n, xType.Rank));
        AddNode(n, new QuantizeLinear(type ?? DataType.UInt8), [x], q);
    }

    private void DequantizeLinearOp(OnnxNode n)
    {
        string input = n.RequireInput(0);
        TensorType inType = TypeOfValue(input);
        (Quantization q, _) = QuantParams(n, 1, 2, AxisAttr(n, inType.Rank));
        if (ConstantOf(input) is { } constant)
        {
            // QDQ models store weights quantized: dequantize them once, here.
            SetConstant(n, Tensor.FromFloats(new TensorType(DataType.Float32, constant.Shape), constant.WithQuant(q).Dequantize()));
            return;
        }
        AddNode(n, new Dequantize(), [Value(input, q)]);
    }

    private void QLinearConvOp(OnnxNode n)
    {
        (Quantization xq, DataType? xType) = QuantParams(n, 1, 2, -1);
        (Quantization wq, _) = QuantParams(n, 4, 5, 0);
        (Quantization yq, DataType? yType) = QuantParams(n, 6, 7, -1);
        string x = Value(n.RequireInput(0), xq);
        string w = Value(n.RequireInput(3), wq);
        List<string> inputs = [x, w];
        if (n.InputName(8) is { } bias)
        {
            inputs.Add(Value(bias));
        }
        Conv2d g = ConvGeometry(n, _builder.TypeOf(x).Shape, _builder.TypeOf(w).Shape);
        DataType outType = yType ?? xType ?? _builder.TypeOf(x).DType;
        AddNode(n, new QLinearConv2d(g.Strides, g.Pads, g.Dilations, g.Groups, outType), inputs, yq);
    }

    private void QLinearMatMulOp(OnnxNode n)
    {
        TensorType bType = TypeOfValue(n.RequireInput(3));
        (Quantization aq, _) = QuantParams(n, 1, 2, -1);
        (Quantization bq, _) = QuantParams(n, 4, 5, bType.Rank - 1);
        (Quantization yq, DataType? yType) = QuantParams(n, 6, 7, -1);
        string a = Value(n.RequireInput(0), aq);
        string b = Value(n.RequireInput(3), bq);
        AddNode(n, new QLinearMatMul(yType ?? _builder.TypeOf(a).DType), [a, b], yq);
    }

    private void QLinearAddOp(OnnxNode n)
    {
        (Quantization aq, _) = QuantParams(n, 1, 2, -1);
        (Quantization bq, _) = QuantParams(n, 4, 5, -1);
        (Quantization cq, DataType? cType) = QuantParams(n, 6, 7, -1);
        string a = Value(n.RequireInput(0), aq);
        string b = Value(n.RequireInput(3), bq);
        AddNode(n, new QLinearAdd(cType ?? _builder.TypeOf(a).DType), [a, b], cq);
    }

    private void QLinearGlobalAveragePoolOp(OnnxNode n)
    {
        if (n.Attrs.Int("channels_last", 0) != 0)
        {
            throw new InvalidDataException("channels_last = 1 is not supported");
        }
        (Quantization xq, _) = QuantParams(n, 1, 2, -1);
        (Quantization yq, DataType? yType) = QuantParams(n, 3, 4, -1);
        string x = Value(n.RequireInput(0), xq);
        AddNode(n, new QLinearGlobalAvgPool(yType ?? _builder.TypeOf(x).DType), [x], yq);
    }

    /// <summary>
    /// The quantization given by a scale and an optional zero-point input, per tensor for one scale or along
    /// <paramref name="axis"/> for several; and the zero point's element type (null when it is omitted).
    /// </summary>
    private (Quantization Quant, DataType? Type) QuantParams(OnnxNode n, int scaleInput, int zeroPointInput, int axis)
    {
        float[] scales = RequireConstant(n, scaleInput, "a scale").ToFloats();
        Tensor? zp = n.InputName(zeroPointInput) is null ? null : RequireConstant(n, zeroPointInput, "a zero point");
        int[] zeroPoints = zp is null ? [0] : zp.ToInt32Values();
        if (zp is not null && zp.DType is not (DataType.UInt8 or DataType.Int8))
        {
            throw new InvalidDataException($"zero point '{n.InputName(zeroPointInput)}' is {zp.DType.Name()}; only int8 and uint8 are supported");
        }
        if (scales.Length == 1)
        {
            return (Quantization.PerTensor(scales[0], zeroPoints[0]), zp?.DType);
        }
        if (axis < 0)
        {
            throw new InvalidDataException($"input {scaleInput} has {scales.Length} scales where one (per tensor) is required");
        }
        return (Quantization.PerChannel(scales, zeroPoints, axis), zp?.DType);
    }

    private static int AxisAttr(OnnxNode n, int rank)
    {
        long axis = n.Attrs.Int("axis", 1);
        return rank == 0 ? -1 : (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>Integer graph inputs fed straight into quantized operators take those operators' quantization.</summary>
    private Dictionary<string, Quantization> QuantizationOfIntegerInputs()
    {
        HashSet<string> inputs = [.. _graph.Input.Select(i => i.Name).Where(i => !_initializers.ContainsKey(i))];
        Dictionary<string, Quantization> result = [];
        for (int i = 0; i < _graph.Node.Count; i++)
        {
            OnnxNode n = new(_graph.Node[i], _graph.Node[i].Name);
            if (!QuantizedInputs.TryGetValue(n.OpType, out (int Value, int Scale, int ZeroPoint)[]? positions))
            {
                continue;
            }
            foreach ((int value, int scale, int zeroPoint) in positions)
            {
                if (n.InputName(value) is { } name && inputs.Contains(name) && !result.ContainsKey(name)
                    && ConstantOf(n.InputName(scale)) is { Length: 1 })
                {
                    result[name] = QuantParams(n, scale, zeroPoint, -1).Quant;
                }
            }
        }
        return result;
    }
}
