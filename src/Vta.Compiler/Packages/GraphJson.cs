using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Packages;

/// <summary>
/// A graph as JSON plus one blob of constant bytes. Ops are written as their record type's name and properties, so
/// every op (present and future) round-trips without a hand-written table; reading rebuilds the graph through
/// <see cref="GraphBuilder"/>, which re-infers every type and so catches a file that does not hold together.
/// </summary>
public static class GraphJson
{
    private static readonly Dictionary<string, Type> s_ops = typeof(Op).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract && t.IsPublic)
        .ToDictionary(t => t.Name, StringComparer.Ordinal);

    internal static JsonSerializerOptions Options { get; } = CreateOptions();

    public static (JsonObject Json, byte[] Constants) Write(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        using var blob = new MemoryStream();
        var constants = new JsonArray();
        foreach ((string name, Tensor value) in graph.Constants.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            constants.Add(new JsonObject { ["name"] = name, ["offset"] = blob.Position, ["bytes"] = value.AsBytes().Length });
            blob.Write(value.AsBytes());
        }

        var types = new JsonObject();
        foreach ((string name, TensorType type) in graph.Types.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            types[name] = JsonSerializer.SerializeToNode(type, Options);
        }

        var nodes = new JsonArray();
        foreach (Node node in graph.Nodes)
        {
            nodes.Add(new JsonObject
            {
                ["name"] = node.Name,
                ["op"] = node.Op.GetType().Name,
                ["attrs"] = JsonSerializer.SerializeToNode(node.Op, node.Op.GetType(), Options),
                ["inputs"] = new JsonArray([.. node.Inputs.Select(i => JsonValue.Create(i))]),
                ["outputs"] = new JsonArray([.. node.Outputs.Select(o => JsonValue.Create(o))]),
            });
        }

        var json = new JsonObject
        {
            ["name"] = graph.Name,
            ["inputs"] = new JsonArray([.. graph.Inputs.Select(i => JsonValue.Create(i))]),
            ["outputs"] = new JsonArray([.. graph.Outputs.Select(o => JsonValue.Create(o))]),
            ["types"] = types,
            ["constants"] = constants,
            ["nodes"] = nodes,
        };
        return (json, blob.ToArray());
    }

    /// <summary>Rebuilds a graph; <paramref name="source"/> names the file in errors.</summary>
    public static Graph Read(JsonObject json, ReadOnlySpan<byte> constants, string source)
    {
        string at = "graph";
        try
        {
            var builder = new GraphBuilder(Str(json, "name"));
            var types = (JsonObject)Required(json, "types");
            TensorType TypeOf(string value) => types[value]?.Deserialize<TensorType>(Options)
                ?? throw new FormatException($"no type for value '{value}'");
            foreach (string input in Strings(json, "inputs"))
            {
                at = $"input '{input}'";
                builder.AddInput(input, TypeOf(input));
            }

            foreach (JsonNode? c in (JsonArray)Required(json, "constants"))
            {
                string name = Str(c!, "name");
                at = $"constant '{name}'";
                long offset = (long)c!["offset"]!, bytes = (long)c["bytes"]!;
                if (offset < 0 || bytes < 0 || offset + bytes > constants.Length)
                {
                    throw new FormatException($"bytes [{offset}, {offset + bytes}) are outside the {constants.Length}-byte constant blob");
                }

                builder.AddConstant(name, Tensor.FromBytes(TypeOf(name), constants.Slice((int)offset, (int)bytes)));
            }

            foreach (JsonNode? n in (JsonArray)Required(json, "nodes"))
            {
                string name = Str(n!, "name");
                at = $"node '{name}'";
                string kind = Str(n!, "op");
                Type type = s_ops.GetValueOrDefault(kind) ?? throw new FormatException($"unknown op '{kind}'");
                var op = (Op)(Required(n!, "attrs").Deserialize(type, Options) ?? throw new FormatException("no attributes"));
                string[] outputs = Strings(n!, "outputs");
                IReadOnlyList<TensorType> inferred = builder.AddNode(name, op, Strings(n!, "inputs"), outputs, [.. outputs.Select(o => TypeOf(o).Quant)]);
                for (int i = 0; i < outputs.Length; i++)
                {
                    if (inferred[i] != TypeOf(outputs[i]))
                    {
                        throw new FormatException($"output '{outputs[i]}' is stored as {TypeOf(outputs[i])} but the op gives {inferred[i]}");
                    }
                }
            }

            at = "outputs";
            foreach (string output in Strings(json, "outputs"))
            {
                builder.AddOutput(output);
            }

            return builder.Build();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or ArgumentException or InvalidCastException
            or GraphException or NullReferenceException or TargetInvocationException)
        {
            throw new FormatException($"{source}: {at}: {(e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message)}", e);
        }
    }

    private static JsonNode Required(JsonNode json, string key) => json[key] ?? throw new FormatException($"missing '{key}'");

    private static string Str(JsonNode json, string key) => (string?)Required(json, key) ?? throw new FormatException($"'{key}' is null");

    private static string[] Strings(JsonNode json, string key) => [.. ((JsonArray)Required(json, key)).Select(v => (string?)v ?? throw new FormatException($"null in '{key}'"))];

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new ShapeConverter());
        options.Converters.Add(new QuantizationConverter());
        options.Converters.Add(new EquatableArrayConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class ShapeConverter : JsonConverter<Shape>
    {
        public override Shape Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<int[]>(ref reader, options) ?? throw new JsonException("null shape"));

        public override void Write(Utf8JsonWriter writer, Shape value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }

    private sealed class QuantizationConverter : JsonConverter<Quantization>
    {
        public override Quantization Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var q = JsonSerializer.Deserialize<Stored>(ref reader, options) ?? throw new JsonException("null quantization");
            return new Quantization(q.Scales, q.ZeroPoints, q.Axis);
        }

        public override void Write(Utf8JsonWriter writer, Quantization value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new Stored(value.Scales.ToArray(), value.ZeroPoints.ToArray(), value.Axis), options);

        private sealed record Stored(float[] Scales, int[] ZeroPoints, int Axis);
    }

    private sealed class EquatableArrayConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(EquatableArray<>);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(EquatableArrayConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
    }

    private sealed class EquatableArrayConverter<T> : JsonConverter<EquatableArray<T>>
        where T : IEquatable<T>
    {
        public override EquatableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<T[]>(ref reader, options) ?? throw new JsonException("null array"));

        public override void Write(Utf8JsonWriter writer, EquatableArray<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }
}
