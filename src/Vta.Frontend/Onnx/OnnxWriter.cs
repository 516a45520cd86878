using Google.Protobuf;
using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx.Proto;
using Vta.Hardware.IO;

namespace Vta.Frontend.Onnx;

/// <summary>Options for <see cref="OnnxWriter"/>.</summary>
public sealed record OnnxWriteOptions
{
    /// <summary>
    /// The ONNX opset written (7 or later). The default, 7, is the ONNX Model Zoo's resnet18-v1-7's, so a written
    /// zoo model takes the same import path as that file; attribute-versus-input forms (Clip, Pad) follow it.
    /// </summary>
    public int Opset { get; init; } = 7;

    public string ProducerName { get; init; } = "vta";
}

/// <summary>
/// Writes a graph of float NCHW operators as an ONNX model: Conv, BatchNormalization, Relu, MaxPool, Add,
/// GlobalAveragePool, Flatten, Gemm (the operators of the ONNX Model Zoo's ResNets), and also Sub, Mul, MatMul,
/// Clip, AveragePool, Reshape, Concat, Pad and Softmax. Node, value and initializer names are the graph's;
/// initializers are stored as raw_data. Files are written atomically.
/// </summary>
public static class OnnxWriter
{
    public static void WriteFile(Graph graph, string path, OnnxWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ModelProto model = ToModel(graph, options);
        AtomicFile.Write(path, model.WriteTo);
    }

    public static byte[] ToBytes(Graph graph, OnnxWriteOptions? options = null) => ToModel(graph, options).ToByteArray();

    /// <summary>The model as a protobuf message; an op or type ONNX cannot express here throws <see cref="NotSupportedException"/> naming the node.</summary>
    public static ModelProto ToModel(Graph graph, OnnxWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new OnnxWriteOptions();
        if (options.Opset < 7)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset, "the writer needs opset 7 or later");
        }
        GraphProto g = new() { Name = graph.Name };
        foreach (string input in graph.Inputs)
        {
            g.Input.Add(ValueInfo(input, graph.TypeOf(input)));
        }
        foreach ((string name, Tensor value) in graph.Constants.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (value.DType == DataType.Float32 || value.Quant is null)
            {
                g.Initializer.Add(OnnxTensors.ToProto(name, value));
            }
            else
            {
                throw new NotSupportedException($"constant '{name}' is quantized ({value.Type}); the writer handles float graphs");
            }
        }
        OnnxNodeWriter writer = new(graph, g, options.Opset);
        foreach (Node node in graph.Nodes)
        {
            writer.Write(node);
        }
        foreach (string output in graph.Outputs)
        {
            g.Output.Add(ValueInfo(output, graph.TypeOf(output)));
        }
        if (IrVersion(options.Opset) < 4)
        {
            // Before IR v4 every initializer must also be a graph input (as in resnet18-v1-7).
            foreach (TensorProto init in g.Initializer)
            {
                DataType type = OnnxTensors.ToDataType(init.DataType)!.Value;
                g.Input.Add(ValueInfo(init.Name, new TensorType(type, new Shape(init.Dims.Select(d => (int)d)))));
            }
        }
        ModelProto model = new()
        {
            IrVersion = IrVersion(options.Opset),
            ProducerName = options.ProducerName,
            Graph = g,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = options.Opset });
        return model;
    }

    /// <summary>The IR version that introduced each opset (ONNX's versioning table), the oldest a reader must accept.</summary>
    private static long IrVersion(int opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    private static ValueInfoProto ValueInfo(string name, TensorType type)
    {
        TensorShapeProto shape = new();
        foreach (int d in type.Shape)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.ToOnnxType(type.DType), Shape = shape } },
        };
    }
}
