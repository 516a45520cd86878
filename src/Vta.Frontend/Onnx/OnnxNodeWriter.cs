using System.Text;
using Google.Protobuf;
using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx.Proto;
using AttrType = Vta.Frontend.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Vta.Frontend.Onnx;

/// <summary>Writes graph nodes as ONNX NodeProtos for <see cref="OnnxWriter"/>; extra initializers (shapes, pads) go into the same GraphProto.</summary>
internal sealed class OnnxNodeWriter
{
    private readonly Graph _graph;
    private readonly GraphProto _proto;
    private readonly int _opset;

    public OnnxNodeWriter(Graph graph, GraphProto proto, int opset)
    {
        _graph = graph;
        _proto = proto;
        _opset = opset;
    }

    public void Write(Node node)
    {
        string[] inputs = [.. node.Inputs];
        switch (node.Op)
        {
            case Conv2d { Layout: DataLayout.Nchw, KernelLayout: KernelLayout.Oihw, OutDType: null } c when IsFloat(node):
                WithActivation(node, c.Activation, "Conv", inputs, ConvAttributes(c.Strides, c.Pads, c.Dilations, c.Groups));
                break;
            case DepthwiseConv2d { Layout: DataLayout.Nchw, KernelLayout: KernelLayout.Oihw, OutDType: null } d when IsFloat(node):
                int channels = _graph.TypeOf(node.Inputs[0]).Shape[1];
                WithActivation(node, d.Activation, "Conv", inputs, ConvAttributes(d.Strides, d.Pads, d.Dilations, channels));
                break;
            case Dense { OutDType: null } d when IsFloat(node):
                // Gemm's C is optional only from opset 11: older files get an explicit zero bias.
                string[] gemmInputs = inputs.Length == 3 || _opset >= 11 ? inputs
                    : [.. inputs, Initializer(node.Name + "_zero_bias", Tensor.Zeros(new TensorType(DataType.Float32, new Shape(_graph.TypeOf(inputs[1]).Shape[0]))))];
                WithActivation(node, d.Activation, "Gemm", gemmInputs, [Int("transB", 1)]);
                break;
            case MatMul { OutDType: null } when IsFloat(node):
                Emit(node.Name, "MatMul", inputs, node.Output);
                break;
            case Add or Sub or Mul when IsFloat(node):
                WithActivation(node, ((BinaryElementwiseOp)node.Op).Activation, node.Op is Add ? "Add" : node.Op is Sub ? "Sub" : "Mul", inputs, []);
                break;
            case Relu:
                Emit(node.Name, "Relu", inputs, node.Output);
                break;
            case Clip c:
                Clip(node.Name, inputs[0], node.Output, c.Min, c.Max);
                break;
            case MaxPool { Layout: DataLayout.Nchw } p:
                WithActivation(node, p.Activation, "MaxPool", inputs, PoolAttributes(node, p.Kernel, p.Strides, p.Pads, p.CeilMode));
                break;
            case AvgPool { Layout: DataLayout.Nchw } p when IsFloat(node):
                List<AttributeProto> attributes = PoolAttributes(node, p.Kernel, p.Strides, p.Pads, p.CeilMode);
                attributes.Add(Int("count_include_pad", p.CountIncludePad ? 1 : 0));
                WithActivation(node, p.Activation, "AveragePool", inputs, attributes);
                break;
            case GlobalAvgPool { Layout: DataLayout.Nchw } when IsFloat(node):
                Emit(node.Name, "GlobalAveragePool", inputs, node.Output);
                break;
            case BatchNorm b when _graph.TypeOf(inputs[0]).Shape.NormalizeAxis(b.Axis) == 1:
                Emit(node.Name, "BatchNormalization", inputs, node.Output, Float("epsilon", b.Epsilon));
                break;
            case Flatten f:
                Emit(node.Name, "Flatten", inputs, node.Output, Int("axis", f.Axis));
                break;
            case Reshape r:
                long[] shape = [.. r.NewShape.Select(d => (long)d)];
                Emit(node.Name, "Reshape", [inputs[0], Initializer(node.Name + "_shape", Tensor.FromArray(new Shape(shape.Length), shape))], node.Output);
                break;
            case Concat c:
                Emit(node.Name, "Concat", inputs, node.Output, Int("axis", c.Axis));
                break;
            case Pad p:
                Pad(node.Name, inputs[0], node.Output, p);
                break;
            case Softmax { Beta: 1f } s:
                Softmax(node, s.Axis);
                break;
            case Transpose t:
                Emit(node.Name, "Transpose", inputs, node.Output, Ints("perm", t.Perm));
                break;
            default:
                throw new NotSupportedException($"node '{node.Name}' ({node.Op.Kind}[{node.Op.FormatAttributes()}]) has no ONNX form in this writer (float NCHW ops only)");
        }
    }

    private bool IsFloat(Node node) => node.Inputs.All(i => _graph.TypeOf(i).DType == DataType.Float32);

    private static List<AttributeProto> ConvAttributes(Size2d strides, Pads2d pads, Size2d dilations, int groups) =>
        [Ints("strides", [strides.H, strides.W]), Ints("pads", [pads.Top, pads.Left, pads.Bottom, pads.Right]),
            Ints("dilations", [dilations.H, dilations.W]), Int("group", groups)];

    private List<AttributeProto> PoolAttributes(Node node, Size2d kernel, Size2d strides, Pads2d pads, bool ceil)
    {
        List<AttributeProto> a = [Ints("kernel_shape", [kernel.H, kernel.W]), Ints("strides", [strides.H, strides.W]),
            Ints("pads", [pads.Top, pads.Left, pads.Bottom, pads.Right])];
        if (ceil)
        {
            a.Add(_opset >= 10 ? Int("ceil_mode", 1) : throw new NotSupportedException($"node '{node.Name}': ceil_mode needs opset 10 or later"));
        }
        return a;
    }

    /// <summary>Emits the op, then its fused activation as a separate node (the op's result gets a "_preact" name).</summary>
    private void WithActivation(Node node, FusedActivation activation, string opType, string[] inputs, IEnumerable<AttributeProto> attributes)
    {
        if (activation == FusedActivation.None)
        {
            Emit(node.Name, opType, inputs, node.Output, [.. attributes]);
            return;
        }
        string raw = node.Output + "_preact";
        Emit(node.Name, opType, inputs, raw, [.. attributes]);
        (float min, float max) = activation.Range();
        if (activation == FusedActivation.Relu)
        {
            Emit(node.Name + "_relu", "Relu", [raw], node.Output);
        }
        else
        {
            Clip(node.Name + "_clip", raw, node.Output, min, max);
        }
    }

    private void Clip(string name, string input, string output, float min, float max)
    {
        if (_opset < 11)
        {
            List<AttributeProto> a = [];
            if (!float.IsNegativeInfinity(min))
            {
                a.Add(Float("min", min));
            }
            if (!float.IsPositiveInfinity(max))
            {
                a.Add(Float("max", max));
            }
            Emit(name, "Clip", [input], output, [.. a]);
            return;
        }
        string minName = float.IsNegativeInfinity(min) ? string.Empty : Initializer(name + "_min", Tensor.Scalar(min));
        string maxName = float.IsPositiveInfinity(max) ? string.Empty : Initializer(name + "_max", Tensor.Scalar(max));
        Emit(name, "Clip", [input, minName, maxName], output);
    }

    private void Pad(string name, string input, string output, Pad p)
    {
        if (_opset < 11)
        {
            Emit(name, "Pad", [input], output, Ints("pads", p.Pads), Float("value", p.Value), String("mode", "constant"));
            return;
        }
        long[] pads = [.. p.Pads.Select(v => (long)v)];
        string padsName = Initializer(name + "_pads", Tensor.FromArray(new Shape(pads.Length), pads));
        Emit(name, "Pad", [input, padsName, Initializer(name + "_value", Tensor.Scalar(p.Value))], output, String("mode", "constant"));
    }

    private void Softmax(Node node, int axis)
    {
        int rank = _graph.TypeOf(node.Inputs[0]).Rank;
        int normalized = axis < 0 ? axis + rank : axis;
        if (_opset < 13 && normalized != rank - 1)
        {
            throw new NotSupportedException($"node '{node.Name}': softmax over axis {axis} of rank {rank} needs opset 13 or later");
        }
        Emit(node.Name, "Softmax", [.. node.Inputs], node.Output, Int("axis", normalized));
    }

    private string Initializer(string hint, Tensor value)
    {
        string name = hint;
        for (int i = 1; _graph.Types.ContainsKey(name) || _proto.Initializer.Any(t => t.Name == name); i++)
        {
            name = $"{hint}_{i}";
        }
        _proto.Initializer.Add(OnnxTensors.ToProto(name, value));
        return name;
    }

    private void Emit(string name, string opType, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        NodeProto n = new() { Name = name, OpType = opType };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attributes);
        _proto.Node.Add(n);
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttrType.Int, I = value };

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttrType.Float, F = value };

    private static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttrType.String, S = ByteString.CopyFrom(value, Encoding.UTF8) };

    private static AttributeProto Ints(string name, IEnumerable<int> values)
    {
        AttributeProto a = new() { Name = name, Type = AttrType.Ints };
        a.Ints.AddRange(values.Select(v => (long)v));
        return a;
    }
}
