using Vta.Compiler.Graphs;

namespace Vta.Compiler.Quant;

/// <summary>
/// Rewrites a prepared float graph (batch norms folded, ReLUs fused) into the quantized form the TFLite importer
/// produces, following TVM's annotation rules: conv2d and dense with constant weights become int8 ops (symmetric
/// per-tensor weights, int32 bias in the accumulator's units, declared int8 output); add becomes an int8 add when
/// either side is int8 (the other side is quantized); relu, max/avg pooling, flatten and reshape stay int8 when
/// their input is; every other op is float. A <see cref="Graphs.Quantize"/> is placed where an int8 op reads a float
/// value and a <see cref="Graphs.Dequantize"/> where a float op (or a graph output) reads an int8 value, once each.
/// Convs listed in skip_conv_layers stay float; with stop_at_global_pool nothing after a global average pool is
/// quantized (TVM's stop_quantize).
/// </summary>
internal sealed class QuantizedGraphWriter
{
    private readonly Graph _f;
    private readonly QuantizeOptions _options;
    private readonly Func<string, float> _scaleOf;
    private readonly GraphBuilder _b;
    private readonly HashSet<string> _produced = [];
    private readonly Dictionary<string, string> _int8Twin = [];
    private readonly Dictionary<string, string> _floatTwin = [];
    private readonly Dictionary<string, float> _scales = [];
    private readonly List<LayerQuantization> _layers = [];
    private readonly List<string> _notes = [];
    private int _convIndex;
    private bool _stopped;

    public QuantizedGraphWriter(Graph floatGraph, QuantizeOptions options, Func<string, float> activationScale)
    {
        _f = floatGraph;
        _options = options;
        _scaleOf = activationScale;
        _b = GraphBuilder.StartFrom(floatGraph, withConstants: false);
    }

    public IReadOnlyList<LayerQuantization> Layers => _layers;

    public IReadOnlyDictionary<string, float> Scales => _scales;

    public IReadOnlyList<string> Notes => _notes;

    public Graph Write()
    {
        foreach (Node node in _f.Nodes)
        {
            if (!TryQuantize(node))
            {
                CopyFloat(node);
            }
        }
        foreach (string output in _f.Outputs)
        {
            if (_produced.Contains(output))
            {
                _b.AddNode(_b.UniqueNodeName(output + "/dequantize"), new Dequantize(), [QName(output)], output);
            }
            _b.AddOutput(output);
        }
        return _b.Build();
    }

    private bool TryQuantize(Node node)
    {
        if (node.Op is Conv2d or DepthwiseConv2d)
        {
            int index = _convIndex++;
            if (node.Op is Conv2d && _options.SkipConvLayers.Contains(index))
            {
                _notes.Add($"{node.Name}: conv {index} kept in float (skip_conv_layers)");
                return false;
            }
        }
        if (_stopped || node.Outputs.Count != 1 || _f.TypeOf(node.Output).DType != DataType.Float32)
        {
            return false;
        }
        switch (node.Op)
        {
            case Conv2d or Dense when HasConstantParameters(node):
                return QuantizeConvOrDense(node);
            case Add when node.Inputs.Any(_produced.Contains) && node.Inputs.All(i => _f.TypeOf(i).DType == DataType.Float32):
                AddInt8(node, [Int8(node.Inputs[0]), Int8(node.Inputs[1])], Scale(node.Output));
                return true;
            case GlobalAvgPool when _options.StopAtGlobalPool:
                _stopped = true;
                _notes.Add($"{node.Name}: nothing after the global average pool is quantized (stop_at_global_pool)");
                return false;
            case GlobalAvgPool or AvgPool when _produced.Contains(node.Inputs[0]):
                // The mean has its own (smaller) range: requantized to its own scale (equal to the input's under tvm).
                AddInt8(node, [Int8(node.Inputs[0])], Scale(node.Output));
                return true;
            case Relu or MaxPool or Flatten or Reshape when _produced.Contains(node.Inputs[0]):
                string x = Int8(node.Inputs[0]);
                AddInt8(node, [x], _b.TypeOf(x).Quant!.Scale);
                return true;
            default:
                return false;
        }
    }

    private bool HasConstantParameters(Node node) =>
        node.Inputs.Count >= 2 && node.Inputs.Skip(1).All(_f.IsConstant) && node.Inputs.Skip(1).All(i => _f.TypeOf(i).DType == DataType.Float32);

    private bool QuantizeConvOrDense(Node node)
    {
        Tensor w = _f.ConstantOf(node.Inputs[1])!;
        float sw = WeightQuantizer.Scale(w.As<float>(), powerOfTwo: _options.Scheme == QuantizationScheme.Tvm || _options.PowerOfTwoScales);
        float sx = Scale(node.Inputs[0]);
        Tensor? bias = null;
        if (node.Inputs.Count == 3)
        {
            bias = WeightQuantizer.Bias(_f.ConstantOf(node.Inputs[2])!, (double)sx * sw, out string? reason);
            if (bias is null)
            {
                _notes.Add($"{node.Name}: kept in float, {reason}");
                return false;
            }
        }

        string x = Int8(node.Inputs[0]);
        string wName = _b.UniqueValueName(node.Inputs[1] + "/int8");
        _b.AddConstant(wName, WeightQuantizer.Weights(w, sw));
        List<string> inputs = [x, wName];
        if (bias is not null)
        {
            string bName = _b.UniqueValueName(node.Inputs[2] + "/int32");
            _b.AddConstant(bName, bias);
            inputs.Add(bName);
        }
        float sy = Scale(node.Output);
        AddInt8(node, inputs, sy);
        _layers.Add(new LayerQuantization(node.Name, node.Op.Kind, sx, sw, sy));
        return true;
    }

    /// <summary>The node with the same op on int8 inputs; its output is int8 with the given scale (zero point 0).</summary>
    private void AddInt8(Node node, IReadOnlyList<string> inputs, float scale)
    {
        string output = QName(node.Output);
        _b.AddNode(node.Name, node.Op, inputs, output, Quantization.PerTensor(scale, 0));
        _produced.Add(node.Output);
        _scales[output] = scale;
    }

    private void CopyFloat(Node node)
    {
        string[] inputs = [.. node.Inputs.Select(Float)];
        foreach (string c in inputs.Where(_f.IsConstant))
        {
            if (!_b.Contains(c))
            {
                _b.AddConstant(c, _f.Constants[c]);
            }
        }
        _b.AddNode(node.Name, node.Op, inputs, node.Outputs, node.Outputs.Select(o => _f.TypeOf(o).Quant).ToArray());
    }

    /// <summary>The name an int8 value produced by a quantized node has: its own, or name/int8 for graph outputs (which stay float).</summary>
    private string QName(string value) => _f.Outputs.Contains(value) ? value + "/int8" : value;

    /// <summary>The int8 version of a value: the value itself when a quantized node made it, else a quantize (made once).</summary>
    private string Int8(string value)
    {
        if (_produced.Contains(value))
        {
            return QName(value);
        }
        if (_int8Twin.TryGetValue(value, out string? twin))
        {
            return twin;
        }
        float scale = Scale(value);
        twin = _b.UniqueValueName(value + "/int8");
        _b.AddNode(_b.UniqueNodeName(NodeNameOf(value) + "/quantize"), new Quantize(DataType.Int8), [value], twin, Quantization.PerTensor(scale, 0));
        _int8Twin[value] = twin;
        _scales[twin] = scale;
        return twin;
    }

    /// <summary>The float version of a value: itself unless a quantized node made it, else a dequantize (made once).</summary>
    private string Float(string value)
    {
        if (!_produced.Contains(value))
        {
            return value;
        }
        if (!_floatTwin.TryGetValue(value, out string? twin))
        {
            twin = _b.UniqueValueName(value + "/float");
            _b.AddNode(_b.UniqueNodeName(NodeNameOf(value) + "/dequantize"), new Dequantize(), [QName(value)], twin);
            _floatTwin[value] = twin;
        }
        return twin;
    }

    /// <summary>The scale of a value: the one it was quantized with if it is int8 already, else the scheme's.</summary>
    private float Scale(string value)
    {
        if (_produced.Contains(value))
        {
            return _b.TypeOf(QName(value)).Quant!.Scale;
        }
        return _int8Twin.TryGetValue(value, out string? twin) ? _scales[twin] : _scaleOf(value);
    }

    private string NodeNameOf(string value) => _f.ProducerOf(value)?.Name ?? value;
}
