using Vta.Compiler.Graphs;

namespace Vta.Compiler.ModelZoo;

/// <summary>
/// Built-in models with seeded synthetic weights, for statistics and performance work where no pretrained file
/// can be had (simulator counters do not depend on weight values). Names: <c>resnet18</c>, <c>resnet34</c>,
/// <c>resnet50</c>, with or without the <c>zoo:</c> prefix used wherever a model path is accepted. Every model has
/// MXNet Gluon's resnet*_v1 structure (as in the ONNX Model Zoo's resnet*-v1-7): input <c>data</c>
/// [N,3,224,224] float32, output the 1000 logits of <c>dense0</c>; float ops only (Conv2d without fused
/// activation, BatchNorm, Relu, MaxPool, Add, GlobalAvgPool, Flatten, Dense).
/// </summary>
public static class Zoo
{
    public const string Prefix = "zoo:";

    private static readonly Dictionary<string, (bool Bottleneck, int[] Layers, int[] Channels)> Specs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["resnet18"] = (false, [2, 2, 2, 2], [64, 64, 128, 256, 512]),
        ["resnet34"] = (false, [3, 4, 6, 3], [64, 64, 128, 256, 512]),
        ["resnet50"] = (true, [3, 4, 6, 3], [64, 256, 512, 1024, 2048]),
    };

    // Building calibrates every batch norm on a small image (seconds for ResNet-50). Weights do not depend on the
    // input size, so one graph per name and seed is built and kept (weakly; graphs are immutable), and other batch
    // sizes and resolutions are re-typed copies sharing its constants.
    private static readonly Dictionary<(string, int), WeakReference<Graph>> Cache = [];

    /// <summary>The model names, without the prefix.</summary>
    public static IReadOnlyList<string> Names { get; } = ["resnet18", "resnet34", "resnet50"];

    /// <summary>Whether a model argument names a zoo model (starts with <c>zoo:</c>).</summary>
    public static bool IsZooName(string model) => model.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Builds a zoo model. The same name and seed always give bit-identical weights. <paramref name="imageSize"/>
    /// other than 224 shrinks the input (the global pool keeps the classifier the same), for quick tests.
    /// </summary>
    public static Graph Build(string name, int seed = 0, int batch = 1, int imageSize = 224)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = IsZooName(name) ? name[Prefix.Length..] : name;
        if (!Specs.TryGetValue(key, out var spec))
        {
            throw new ArgumentException($"unknown zoo model '{name}'; known: {string.Join(", ", Names.Select(n => Prefix + n))}", nameof(name));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        // Five stride-2 steps: smaller inputs would leave the last stage without pixels.
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 32);
        Graph canonical = Canonical(key.ToLowerInvariant(), seed, spec);
        return batch == 1 && imageSize == 224 ? canonical : WithInputSize(canonical, batch, imageSize);
    }

    private static Graph Canonical(string key, int seed, (bool Bottleneck, int[] Layers, int[] Channels) spec)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue((key, seed), out WeakReference<Graph>? cached) && cached.TryGetTarget(out Graph? graph))
            {
                return graph;
            }
        }
        Graph built = new ResNetBuilder(key, seed).Build(spec.Bottleneck, spec.Layers, spec.Channels, batch: 1, imageSize: 224, classes: 1000);
        lock (Cache)
        {
            Cache[(key, seed)] = new WeakReference<Graph>(built);
        }
        return built;
    }

    /// <summary>The same nodes and constants with another input shape (types inferred anew).</summary>
    private static Graph WithInputSize(Graph graph, int batch, int imageSize)
    {
        GraphBuilder b = new(graph.Name);
        b.AddInput("data", new TensorType(DataType.Float32, new Shape(batch, 3, imageSize, imageSize)));
        foreach ((string name, Tensor value) in graph.Constants)
        {
            b.AddConstant(name, value);
        }
        foreach (Node node in graph.Nodes)
        {
            b.AddNode(node.Name, node.Op, node.Inputs, node.Outputs);
        }
        foreach (string output in graph.Outputs)
        {
            b.AddOutput(output);
        }
        return b.Build();
    }
}
