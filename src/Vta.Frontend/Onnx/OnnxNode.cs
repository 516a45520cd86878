using Vta.Frontend.Onnx.Proto;

namespace Vta.Frontend.Onnx;

/// <summary>One ONNX node being converted: its unique graph name, attributes and input/output names.</summary>
internal sealed class OnnxNode
{
    public OnnxNode(NodeProto proto, string name)
    {
        Proto = proto;
        Name = name;
        Attrs = new OnnxAttributes(proto);
    }

    public NodeProto Proto { get; }

    public string Name { get; }

    public string OpType => Proto.OpType;

    public OnnxAttributes Attrs { get; }

    /// <summary>The number of inputs listed, including empty (omitted optional) ones.</summary>
    public int InputCount => Proto.Input.Count;

    /// <summary>Input i's value name, or null when it is absent or left empty (an omitted optional input).</summary>
    public string? InputName(int i) => i < Proto.Input.Count && Proto.Input[i].Length > 0 ? Proto.Input[i] : null;

    public string RequireInput(int i) => InputName(i) ?? throw new InvalidDataException($"input {i} is missing");

    public string Output(int i = 0) =>
        i < Proto.Output.Count && Proto.Output[i].Length > 0 ? Proto.Output[i] : throw new InvalidDataException($"output {i} is missing");

    /// <summary>Rejects a node that needs an output beyond the ones the importer produces (e.g. MaxPool indices).</summary>
    public void RequireOutputsAtMost(int count)
    {
        for (int i = count; i < Proto.Output.Count; i++)
        {
            if (Proto.Output[i].Length > 0)
            {
                throw new InvalidDataException($"output {i} ('{Proto.Output[i]}') is not supported");
            }
        }
    }
}
