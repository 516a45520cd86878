using Vta.Compiler.Graphs;

namespace Vta.Frontend.Tflite;

/// <summary>Converts the main subgraph of a <see cref="TfliteModel"/> into a graph; one instance per import.</summary>
internal sealed partial class TfliteGraphConverter
{
    private readonly TfliteModel _model;
    private readonly TfliteSubgraph _subgraph;
    private readonly GraphBuilder _builder;
    private readonly string[] _valueNames;
    private readonly HashSet<int> _defined = [];

    public TfliteGraphConverter(TfliteModel model)
    {
        _model = model;
        _subgraph = model.Subgraphs[0];
        string name = Path.GetFileNameWithoutExtension(model.Source);
        _builder = new GraphBuilder(string.IsNullOrEmpty(name) ? _subgraph.Name : name);
        _valueNames = UniqueNames(_subgraph.Tensors);
    }

    public Graph Convert()
    {
        foreach (int input in _subgraph.Inputs)
        {
            if (!IsConstant(input) && _defined.Add(input))
            {
                _builder.AddInput(_valueNames[input], TypeOf(input, null));
            }
        }
        foreach (TfliteOperator op in _subgraph.Operators)
        {
            try
            {
                ConvertOperator(op);
                CheckOutputShapes(op);
            }
            catch (GraphException e)
            {
                throw Error(op, e.Message, e);
            }
        }
        foreach (int output in _subgraph.Outputs)
        {
            _builder.AddOutput(Value(output, null));
        }
        return _builder.Build();
    }

    /// <summary>The graph value of a tensor; constants are added on first use.</summary>
    private string Value(int tensor, TfliteOperator? op)
    {
        if (_defined.Contains(tensor))
        {
            return _valueNames[tensor];
        }
        TfliteTensor t = _subgraph.Tensors[tensor];
        if (!IsConstant(tensor))
        {
            string user = op is null ? "the subgraph outputs" : $"operator {op.Index} ({op.Code.Name})";
            throw new ModelFormatException(_model.Source, $"tensor {tensor} '{t.Name}' is used by {user} before any operator produces it");
        }
        TensorType type = TypeOf(tensor, op);
        ReadOnlyMemory<byte> data = _model.Buffers[(int)t.Buffer];
        int expected = type.Shape.ElementCount * type.DType.ByteSize();
        if (data.Length != expected)
        {
            throw new ModelFormatException(_model.Source,
                $"tensor {tensor} '{t.Name}' ({type}) needs {expected} bytes but its buffer {t.Buffer} has {data.Length}");
        }
        _builder.AddConstant(_valueNames[tensor], Tensor.FromBytes(type, data.Span));
        _defined.Add(tensor);
        return _valueNames[tensor];
    }

    private bool IsConstant(int tensor)
    {
        uint buffer = _subgraph.Tensors[tensor].Buffer;
        return buffer != 0 && !_model.Buffers[(int)buffer].IsEmpty;
    }

    /// <summary>The graph type of a tensor as stored in the file (element type, shape, quantization).</summary>
    private TensorType TypeOf(int tensor, TfliteOperator? op)
    {
        TfliteTensor t = _subgraph.Tensors[tensor];
        DataType dtype = t.Type switch
        {
            TfliteTensorType.Float32 => DataType.Float32,
            TfliteTensorType.Int8 => DataType.Int8,
            TfliteTensorType.UInt8 => DataType.UInt8,
            TfliteTensorType.Int16 => DataType.Int16,
            TfliteTensorType.Int32 => DataType.Int32,
            TfliteTensorType.Int64 => DataType.Int64,
            _ => throw new ModelFormatException(_model.Source,
                $"tensor {tensor} '{t.Name}'{(op is null ? string.Empty : $" of operator {op.Index} ({op.Code.Name})")} has unsupported type {t.Type}"),
        };
        return new TensorType(dtype, new Shape(t.Shape), dtype == DataType.Float32 ? null : QuantizationOf(t));
    }

    private Quantization? QuantizationOf(TfliteTensor t)
    {
        if (t.Quantization is not { } q || q.Scales.Any(s => !(s > 0)))
        {
            return null; // absent, or scale 0: TFLite treats the tensor as not quantized
        }
        int[] zeroPoints = q.ZeroPoints.Length == 0 ? [0] : q.ZeroPoints.Select(z => checked((int)z)).ToArray();
        if (q.Scales.Length == 1)
        {
            return Quantization.PerTensor(q.Scales[0], zeroPoints[0]);
        }
        if (q.QuantizedDimension < 0 || q.QuantizedDimension >= t.Shape.Length || t.Shape[q.QuantizedDimension] != q.Scales.Length)
        {
            throw new ModelFormatException(_model.Source,
                $"tensor {t.Index} '{t.Name}' has {q.Scales.Length} scales along dimension {q.QuantizedDimension} of shape [{string.Join(",", t.Shape)}]");
        }
        return Quantization.PerChannel(q.Scales, zeroPoints, q.QuantizedDimension);
    }

    private TfliteTensor InputTensor(TfliteOperator op, int inputIndex) => _subgraph.Tensors[RequiredInput(op, inputIndex)];

    private int RequiredInput(TfliteOperator op, int inputIndex)
    {
        if (inputIndex >= op.Inputs.Length || op.Inputs[inputIndex] < 0)
        {
            throw Error(op, $"input {inputIndex} is missing ({op.Inputs.Length} inputs given)");
        }
        return op.Inputs[inputIndex];
    }

    private string Input(TfliteOperator op, int inputIndex) => Value(RequiredInput(op, inputIndex), op);

    private string? OptionalInput(TfliteOperator op, int inputIndex) =>
        inputIndex < op.Inputs.Length && op.Inputs[inputIndex] >= 0 ? Value(op.Inputs[inputIndex], op) : null;

    /// <summary>Constant integer contents of an input (axes, shapes, paddings).</summary>
    private long[] ConstantInts(TfliteOperator op, int inputIndex)
    {
        string name = Input(op, inputIndex);
        Tensor value = _builder.ConstantOf(name)
            ?? throw Error(op, $"input {inputIndex} '{name}' must be a constant");
        return value.ToInt64Values();
    }

    /// <summary>
    /// Adds the node for an operator, named after the operator and its index (e.g. conv_2d_0) so errors point into the
    /// file; outputs keep the file's tensor names and quantization.
    /// </summary>
    private void AddNode(TfliteOperator op, Op graphOp, IReadOnlyList<string> inputs)
    {
        if (op.Outputs.Length == 0)
        {
            throw Error(op, "has no output");
        }
        string[] outputs = op.Outputs.Select(o => _valueNames[o]).ToArray();
        Quantization?[] quants = op.Outputs.Select(o => QuantizationOf(_subgraph.Tensors[o])).ToArray();
        _builder.AddNode(_builder.UniqueNodeName(NodeName(op)), graphOp, inputs, outputs, quants);
        foreach (int o in op.Outputs)
        {
            _defined.Add(o);
        }
    }

    /// <summary>Adds a helper node (e.g. a reshape the importer inserts) and returns its output value.</summary>
    private string AddHelperNode(string nodeHint, string valueHint, Op graphOp, IReadOnlyList<string> inputs)
    {
        string output = _builder.UniqueValueName(valueHint);
        _builder.AddNode(_builder.UniqueNodeName(nodeHint), graphOp, inputs, output);
        return output;
    }

    private static string NodeName(TfliteOperator op) =>
        $"{op.Code.Name.ToLowerInvariant()}_{op.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private void CheckOutputShapes(TfliteOperator op)
    {
        foreach (int o in op.Outputs)
        {
            TfliteTensor t = _subgraph.Tensors[o];
            TensorType inferred = _builder.TypeOf(_valueNames[o]);
            TensorType stored = TypeOf(o, op);
            bool shapeKnown = t.Shape.Length > 0 || inferred.Shape.Rank == 0;
            if (inferred.DType != stored.DType || (shapeKnown && inferred.Shape != stored.Shape))
            {
                throw Error(op, $"output '{t.Name}' is inferred as {inferred.DType.Name()}{inferred.Shape} but the file says {stored.DType.Name()}{stored.Shape}");
            }
        }
    }

    private ModelFormatException Error(TfliteOperator op, string problem, Exception? inner = null) =>
        new(_model.Source, $"operator {op.Index} ({op.Code.Name}): {problem}", inner);

    private static string[] UniqueNames(IReadOnlyList<TfliteTensor> tensors)
    {
        HashSet<string> used = [];
        string[] names = new string[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            string name = string.IsNullOrEmpty(tensors[i].Name) ? $"tensor_{i}" : tensors[i].Name;
            string unique = name;
            for (int k = 1; !used.Add(unique); k++)
            {
                unique = $"{name}_{k}";
            }
            names[i] = unique;
        }
        return names;
    }
}
