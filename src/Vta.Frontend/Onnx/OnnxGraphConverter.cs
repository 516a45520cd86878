using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;
using Vta.Frontend.Onnx.Proto;

namespace Vta.Frontend.Onnx;

/// <summary>
/// Converts one <see cref="ModelProto"/> into a graph; one instance per import. Initializers become graph constants
/// only when an op uses them (scales and zero points become quantization parameters instead), and values computed
/// from constants at import (shape chains) stay out of the graph unless an op reads them.
/// </summary>
internal sealed partial class OnnxGraphConverter
{
    private const int MinimumOpset = 7;

    private readonly GraphProto _graph;
    private readonly string _source;
    private readonly OnnxImportOptions _options;
    private readonly GraphBuilder _builder;
    private readonly long _opset;
    private readonly Dictionary<string, TensorProto> _initializers = [];
    private readonly Dictionary<string, Tensor> _constants = [];
    private readonly Dictionary<string, string> _aliases = [];
    private readonly Dictionary<(string Name, Quantization? Quant), string> _addedConstants = [];

    public OnnxGraphConverter(ModelProto model, string source, OnnxImportOptions options)
    {
        _graph = model.Graph;
        _source = source;
        _options = options;
        string name = Path.GetFileNameWithoutExtension(source);
        _builder = new GraphBuilder(string.IsNullOrEmpty(name) ? (_graph.Name.Length > 0 ? _graph.Name : "onnx") : name);
        OperatorSetIdProto? standard = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        // IR v2 files have no opset_import: they are opset 1.
        _opset = standard?.Version ?? 1;
    }

    public Graph Convert()
    {
        try
        {
            return ConvertGraph();
        }
        catch (Exception e) when (e is GraphException or InvalidDataException or ArgumentException or InvalidOperationException or OverflowException)
        {
            // Outside any node: graph inputs and outputs, initializers read while scanning them.
            throw new ModelFormatException(_source, e.Message, e);
        }
    }

    private Graph ConvertGraph()
    {
        if (_opset < MinimumOpset)
        {
            throw new ModelFormatException(_source, $"opset {_opset} is not supported (the importer needs opset {MinimumOpset} or later)");
        }
        foreach (TensorProto init in _graph.Initializer)
        {
            if (!_initializers.TryAdd(init.Name, init))
            {
                throw new ModelFormatException(_source, $"initializer '{init.Name}' is defined twice");
            }
        }
        AddInputs();
        for (int i = 0; i < _graph.Node.Count; i++)
        {
            NodeProto proto = _graph.Node[i];
            string name = _builder.UniqueNodeName(proto.Name.Length > 0 ? proto.Name : $"{proto.OpType}_{i}");
            try
            {
                ConvertNode(new OnnxNode(proto, name));
            }
            catch (Exception e) when (e is GraphException or InvalidDataException or ArgumentException or InvalidOperationException or OverflowException)
            {
                // The graph builder already names the node: keep its IR op and shapes, not the name twice.
                string own = $"node '{name}' ";
                string detail = e is GraphException && e.Message.StartsWith(own, StringComparison.Ordinal) ? " -> " + e.Message[own.Length..] : ": " + e.Message;
                throw new ModelFormatException(_source, $"node '{name}' ({proto.OpType}){detail}", e);
            }
        }
        AddOutputs();
        // Values computed only to feed folded shape chains (e.g. a DequantizeLinear read by Shape) are dead now.
        return new DeadCodeElimination().Run(_builder.Build(), new PassContext());
    }

    private void AddInputs()
    {
        Dictionary<string, Quantization> integerInputQuant = QuantizationOfIntegerInputs();
        foreach (ValueInfoProto input in _graph.Input)
        {
            if (_initializers.ContainsKey(input.Name))
            {
                continue; // before IR v4 every initializer is also listed as an input
            }
            TensorType type = InputType(input);
            if (type.DType.IsInteger() && integerInputQuant.TryGetValue(input.Name, out Quantization? q))
            {
                type = type.WithQuant(q);
            }
            _builder.AddInput(input.Name, type);
        }
    }

    private TensorType InputType(ValueInfoProto input)
    {
        string what = $"graph input '{input.Name}'";
        TypeProto.Types.Tensor t = input.Type?.TensorType ?? throw new ModelFormatException(_source, $"{what} is not a tensor");
        DataType type = OnnxTensors.ToDataType(t.ElemType)
            ?? throw new ModelFormatException(_source, $"{what} has unsupported element type {OnnxTensors.TypeName(t.ElemType)}");
        if (t.Shape is null)
        {
            throw new ModelFormatException(_source, $"{what} has no shape; only static shapes are supported");
        }
        int[] dims = new int[t.Shape.Dim.Count];
        for (int d = 0; d < dims.Length; d++)
        {
            TensorShapeProto.Types.Dimension dim = t.Shape.Dim[d];
            bool known = dim.HasDimValue && dim.DimValue > 0;
            if (d == 0 && (_options.BatchSize is not null || !known))
            {
                dims[d] = _options.BatchSize ?? 1;
            }
            else if (known && dim.DimValue <= int.MaxValue)
            {
                dims[d] = (int)dim.DimValue;
            }
            else
            {
                string label = dim.HasDimParam ? $"'{dim.DimParam}'" : "unknown";
                throw new ModelFormatException(_source, $"{what} has a dynamic dimension {label} at axis {d}; only the batch (axis 0) may be dynamic");
            }
        }
        return new TensorType(type, new Shape(dims));
    }

    private void AddOutputs()
    {
        foreach (ValueInfoProto output in _graph.Output)
        {
            string value;
            try
            {
                value = Value(output.Name);
            }
            catch (InvalidDataException e)
            {
                throw new ModelFormatException(_source, $"graph output '{output.Name}': {e.Message}", e);
            }
            if (value != output.Name)
            {
                // An Identity-like alias: give the graph output its model name with a no-op reshape.
                TensorType t = _builder.TypeOf(value);
                _builder.AddNode(_builder.UniqueNodeName(output.Name), new Reshape(t.Shape), [value], output.Name, t.Quant);
                value = output.Name;
            }
            CheckDeclaredShape(output, _builder.TypeOf(value));
            _builder.AddOutput(value);
        }
    }

    /// <summary>Checks an output's inferred shape against the static dimensions the model declares for it.</summary>
    private void CheckDeclaredShape(ValueInfoProto info, TensorType inferred)
    {
        TensorShapeProto? shape = info.Type?.TensorType?.Shape;
        if (shape is null || shape.Dim.Count == 0)
        {
            return;
        }
        bool mismatch = shape.Dim.Count != inferred.Rank;
        for (int d = 0; !mismatch && d < shape.Dim.Count; d++)
        {
            bool batchOverridden = d == 0 && _options.BatchSize is not null;
            mismatch = shape.Dim[d].HasDimValue && shape.Dim[d].DimValue > 0 && !batchOverridden && shape.Dim[d].DimValue != inferred.Shape[d];
        }
        if (mismatch)
        {
            string declared = "[" + string.Join(",", shape.Dim.Select(x => x.HasDimValue ? x.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")) + "]";
            throw new ModelFormatException(_source, $"graph output '{info.Name}' is declared {declared} but computes to {inferred.Shape}");
        }
    }

    private string Resolve(string name)
    {
        while (_aliases.TryGetValue(name, out string? target))
        {
            name = target;
        }
        return name;
    }

    /// <summary>The constant value of a name (initializer, Constant op or folded value), or null.</summary>
    private Tensor? ConstantOf(string? name)
    {
        if (name is null)
        {
            return null;
        }
        name = Resolve(name);
        if (_constants.TryGetValue(name, out Tensor? t))
        {
            return t;
        }
        if (!_builder.Contains(name) && _initializers.TryGetValue(name, out TensorProto? proto))
        {
            t = OnnxTensors.ToTensor(proto);
            _constants[name] = t;
            return t;
        }
        return null;
    }

    private Tensor RequireConstant(OnnxNode node, int input, string what) =>
        ConstantOf(node.RequireInput(input)) ?? throw new InvalidDataException($"{what} (input {input}, '{node.InputName(input)}') must be a constant");

    /// <summary>
    /// The graph value for a name, adding a constant on first use. <paramref name="quant"/>, where given, is the
    /// quantization the consumer reads the value with: constants take it, other values must already have it.
    /// </summary>
    private string Value(string name, Quantization? quant = null)
    {
        name = Resolve(name);
        if (ConstantOf(name) is { } constant)
        {
            if (_addedConstants.TryGetValue((name, quant), out string? added))
            {
                return added;
            }
            added = _builder.UniqueValueName(name);
            _builder.AddConstant(added, quant is null ? constant : constant.WithQuant(quant));
            _addedConstants[(name, quant)] = added;
            return added;
        }
        if (!_builder.Contains(name))
        {
            throw new InvalidDataException($"value '{name}' is not defined before its use (the model must list nodes in topological order)");
        }
        Quantization? actual = _builder.TypeOf(name).Quant;
        if (quant is not null && actual != quant)
        {
            throw new InvalidDataException($"value '{name}' is quantized {actual?.ToString() ?? "not at all"} but is read as {quant}");
        }
        return name;
    }

    private TensorType TypeOfValue(string name)
    {
        name = Resolve(name);
        return ConstantOf(name)?.Type ?? (_builder.Contains(name) ? _builder.TypeOf(name)
            : throw new InvalidDataException($"value '{name}' is not defined before its use"));
    }

    private TensorType AddNode(OnnxNode node, Op op, IReadOnlyList<string> inputs, Quantization? outputQuant = null) =>
        _builder.AddNode(node.Name, op, inputs, node.Output(), outputQuant);

    private void SetConstant(OnnxNode node, Tensor value) => _constants[node.Output()] = value;

    private void ConvertNode(OnnxNode node)
    {
        string domain = node.Proto.Domain;
        bool standard = domain is "" or "ai.onnx";
        Action<OnnxNode>? convert = standard ? StandardOp(node.OpType)
            : domain == "com.microsoft" ? MicrosoftOp(node.OpType)
            : null;
        if (convert is null)
        {
            string where = standard ? string.Empty : $" (domain '{domain}')";
            throw new ModelFormatException(_source, $"unsupported operator {node.OpType}{where} in node '{node.Name}'");
        }
        convert(node);
    }

    private Action<OnnxNode>? StandardOp(string opType) => opType switch
    {
        "Conv" => Conv,
        "Gemm" => Gemm,
        "MatMul" => MatMulOp,
        "Add" => n => Binary(n, new Add()),
        "Sub" => n => Binary(n, new Sub()),
        "Mul" => n => Binary(n, new Mul()),
        "Relu" => n => AddNode(n, new Relu(), [Value(n.RequireInput(0))]),
        "Clip" => ClipOp,
        "MaxPool" => n => Pool(n, isMax: true),
        "AveragePool" => n => Pool(n, isMax: false),
        "GlobalAveragePool" => n => AddNode(n, new GlobalAvgPool(), [Value(n.RequireInput(0))]),
        "BatchNormalization" => BatchNormalization,
        "Flatten" => FlattenOp,
        "Reshape" => ReshapeOp,
        "Concat" => ConcatOp,
        "Pad" => PadOp,
        "Softmax" => SoftmaxOp,
        "Transpose" => TransposeOp,
        "Identity" or "Dropout" => Alias,
        "Constant" => ConstantOp,
        "Shape" => ShapeOp,
        "Gather" => GatherOp,
        "Unsqueeze" => n => SqueezeOrUnsqueeze(n, unsqueeze: true),
        "Squeeze" => n => SqueezeOrUnsqueeze(n, unsqueeze: false),
        "Cast" => CastOp,
        "QuantizeLinear" => QuantizeLinearOp,
        "DequantizeLinear" => DequantizeLinearOp,
        "QLinearConv" => QLinearConvOp,
        "QLinearMatMul" => QLinearMatMulOp,
        _ => null,
    };

    private Action<OnnxNode>? MicrosoftOp(string opType) => opType switch
    {
        "QLinearAdd" => QLinearAddOp,
        "QLinearGlobalAveragePool" => QLinearGlobalAveragePoolOp,
        "QuantizeLinear" => QuantizeLinearOp,
        "DequantizeLinear" => DequantizeLinearOp,
        _ => null,
    };
}
