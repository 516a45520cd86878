using System.Text;
using Vta.Frontend.Onnx.Proto;
using AttrType = Vta.Frontend.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Vta.Frontend.Onnx;

/// <summary>Typed access to a node's attributes; a present attribute of the wrong type is an error, not a default.</summary>
internal sealed class OnnxAttributes
{
    private readonly Dictionary<string, AttributeProto> _byName = [];

    public OnnxAttributes(NodeProto node)
    {
        foreach (AttributeProto a in node.Attribute)
        {
            if (!_byName.TryAdd(a.Name, a))
            {
                throw new InvalidDataException($"attribute '{a.Name}' appears twice");
            }
        }
    }

    public bool Has(string name) => _byName.ContainsKey(name);

    public long Int(string name, long defaultValue) =>
        Get(name, AttrType.Int) is { } a ? a.I : defaultValue;

    public float Float(string name, float defaultValue) =>
        Get(name, AttrType.Float) is { } a ? a.F : defaultValue;

    public string String(string name, string defaultValue) =>
        Get(name, AttrType.String) is { } a ? Encoding.UTF8.GetString(a.S.Span) : defaultValue;

    public long[]? Ints(string name) => Get(name, AttrType.Ints)?.Ints.ToArray();

    public float[]? Floats(string name) => Get(name, AttrType.Floats)?.Floats.ToArray();

    public TensorProto? Tensor(string name) => Get(name, AttrType.Tensor)?.T;

    /// <summary>The attribute, or null when absent. Files from before IR v2 may leave the type unset; the value field decides then.</summary>
    private AttributeProto? Get(string name, AttrType expected)
    {
        if (!_byName.TryGetValue(name, out AttributeProto? a))
        {
            return null;
        }
        AttrType actual = a.HasType && a.Type != AttrType.Undefined ? a.Type : Guess(a);
        if (actual != expected)
        {
            throw new InvalidDataException($"attribute '{name}' is {actual.ToString().ToLowerInvariant()}, expected {expected.ToString().ToLowerInvariant()}");
        }
        return a;
    }

    private static AttrType Guess(AttributeProto a) =>
        a.Ints.Count > 0 ? AttrType.Ints
        : a.Floats.Count > 0 ? AttrType.Floats
        : a.T is not null ? AttrType.Tensor
        : a.HasS ? AttrType.String
        : a.HasF ? AttrType.Float
        : AttrType.Int;
}
