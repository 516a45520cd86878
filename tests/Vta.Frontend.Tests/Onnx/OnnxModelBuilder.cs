using System.Text;
using Google.Protobuf;
using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx;
using Vta.Frontend.Onnx.Proto;
using AttrType = Vta.Frontend.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>Builds small ONNX models by hand, to test each operator form against ONNX Runtime.</summary>
internal sealed class OnnxModelBuilder
{
    private readonly GraphProto _graph = new() { Name = "test" };
    private readonly int _opset;
    private bool _microsoft;

    public OnnxModelBuilder(int opset = 13)
    {
        _opset = opset;
    }

    public OnnxModelBuilder Input(string name, DataType type, params int[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>A graph output; its shape is left undeclared unless given.</summary>
    public OnnxModelBuilder Output(string name, DataType type, params int[] dims)
    {
        _graph.Output.Add(ValueInfo(name, type, dims.Length == 0 ? null : dims));
        return this;
    }

    public OnnxModelBuilder Init(string name, Tensor value)
    {
        _graph.Initializer.Add(OnnxTensors.ToProto(name, value));
        return this;
    }

    public OnnxModelBuilder Init(string name, params float[] values) =>
        Init(name, Tensor.FromArray(values.Length == 1 ? Shape.Scalar : new Shape(values.Length), values));

    public OnnxModelBuilder InitInt64(string name, params long[] values) => Init(name, Tensor.FromArray(new Shape(values.Length), values));

    public OnnxModelBuilder InitU8(string name, byte value) => Init(name, Tensor.FromArray(Shape.Scalar, [value]));

    public OnnxModelBuilder InitI8(string name, params sbyte[] values) =>
        Init(name, Tensor.FromArray(values.Length == 1 ? Shape.Scalar : new Shape(values.Length), values));

    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        Node(opType, string.Empty, inputs, outputs, attributes);

    public OnnxModelBuilder Node(string opType, string domain, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        NodeProto node = new() { OpType = opType, Domain = domain, Name = $"{opType.ToLowerInvariant()}_{_graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        _microsoft |= domain == "com.microsoft";
        return this;
    }

    public ModelProto Build()
    {
        ModelProto model = new() { IrVersion = _opset < 13 ? 6 : 7, ProducerName = "test", Graph = _graph.Clone() };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = _opset });
        if (_microsoft)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        }
        return model;
    }

    public byte[] Bytes() => Build().ToByteArray();

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttrType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttrType.Float, F = value };

    public static AttributeProto Str(string name, string value) =>
        new() { Name = name, Type = AttrType.String, S = ByteString.CopyFrom(value, Encoding.UTF8) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        AttributeProto a = new() { Name = name, Type = AttrType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, int[]? dims)
    {
        TypeProto.Types.Tensor t = new() { ElemType = OnnxTensors.ToOnnxType(type) };
        if (dims is not null)
        {
            t.Shape = new TensorShapeProto();
            t.Shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = t } };
    }
}
