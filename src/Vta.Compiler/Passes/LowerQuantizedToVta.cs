using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Quant;
using Vta.Hardware.Config;

namespace Vta.Compiler.Passes;

/// <summary>
/// Rewrites every pre-quantized conv2d and dense that VTA could run into its VTA form (<see cref="VtaConv2d"/>,
/// <see cref="VtaDense"/>; arithmetic in <see cref="VtaRequantization"/>): TFLite-style conv2d/dense on quantized types, and
/// ONNX QLinearConv/QLinearMatMul (with the bias add that follows a QLinearMatMul; see <see cref="QLinearLayers"/>), both
/// described as a <see cref="QuantizedLayer"/> first. VTA ops take and give int8: a uint8 value
/// (s, z) is the int8 value (s, z − 128) with bytes x − 128, which is exact, so a uint8 producer gets an int8 twin
/// (a requantize with equal scales) and a rewritten node's int8 output is turned back into the original uint8 value only
/// where a CPU op or a graph output reads it. Other nodes keep their ops and types, so their arithmetic is the model's.
/// A grouped conv is rewritten only when its channels per group fill whole blocks of <c>config</c>. When the configuration
/// has ALU MUL (fsim, intelfocl), a layer takes the multiply form (the model's own
/// weights, <see cref="VtaMultiplyRequantization"/>) when it fits, else the folded form (<see cref="VtaRequantization"/>);
/// a layer that fits neither stays as it is, with a note. <see cref="Forms"/> says which form each layer got. With
/// <paramref name="exact"/>, every layer takes the exact form instead (<see cref="ExactRequantization"/>: the model's own
/// weights on VTA, the model's own requantization on the host), or stays as it is with a note.
/// </summary>
public sealed class LowerQuantizedToVta(VtaConfig? config = null, bool exact = false) : IGraphPass
{
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, VtaLayerForm> _forms = [];

    /// <summary>One line per quantized layer left in its original form, and why (from the last run).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The form chosen for each rewritten node (from the last run), for reports.</summary>
    public IReadOnlyDictionary<string, VtaLayerForm> Forms => _forms;

    public Graph Run(Graph graph, PassContext context)
    {
        _notes.Clear();
        _forms.Clear();
        var state = new RewriteState(graph);
        foreach (Node node in graph.Nodes)
        {
            if (state.Absorbed.Contains(node.Name))
            {
                continue;
            }
            if (!TryRewrite(state, node))
            {
                foreach (string input in node.Inputs)
                {
                    state.Original(input);
                }
                state.Builder.CopyNode(graph, node);
            }
        }
        foreach (string output in graph.Outputs)
        {
            state.Original(output);
            state.Builder.AddOutput(output);
        }
        return state.Builder.Build();
    }

    private bool TryRewrite(RewriteState s, Node node)
    {
        QuantizedLayer? layer = node.Op switch
        {
            Conv2d or Dense => DescribeTflite(s.Graph, node),
            QLinearConv2d or QLinearMatMul => QLinearLayers.Describe(s.Graph, node, config, foldBias: !exact),
            _ => null,
        };
        return layer is not null && Emit(s, node, layer);
    }

    /// <summary>A TFLite-style conv2d or dense on quantized types with constant weights (and bias), or null.</summary>
    private QuantizedLayer? DescribeTflite(Graph g, Node node)
    {
        if (node.Inputs.Count < 2 || !g.IsConstant(node.Inputs[1]) || (node.Inputs.Count == 3 && !g.IsConstant(node.Inputs[2])))
        {
            return null;
        }
        TensorType x = g.TypeOf(node.Inputs[0]), y = g.TypeOf(node.Output);
        Tensor w = g.ConstantOf(node.Inputs[1])!;
        Tensor? bias = node.Inputs.Count == 3 ? g.ConstantOf(node.Inputs[2]) : null;
        if (!IsQuantizedByte(x) || !IsQuantizedByte(y) || w.Quant is not { } wq || w.DType is not (DataType.Int8 or DataType.UInt8)
            || bias is { DType: not DataType.Int32 })
        {
            return null;
        }

        // Weights channel-major (OIHW or [U, K]); the per-channel axis must be the output channels.
        int[] weights;
        int outAxis;
        Shape weightShape = w.Shape;
        ConvGeometry? geometry = null;
        if (node.Op is Conv2d conv)
        {
            (int ao, int ai, int ah, int aw) = conv.KernelLayout.Axes();
            if (conv.Dilations != Size2d.One || !GroupsFit(config, conv.Groups, x.Shape[conv.Layout.ChannelAxis()], w.Shape[ao]))
            {
                return null;
            }
            outAxis = ao;
            weights = LayoutConversion.ToOihw(w.ToInt32Values(), w.Shape, conv.KernelLayout).Data;
            weightShape = KernelLayout.Oihw.MakeShape(w.Shape[ao], w.Shape[ai], w.Shape[ah], w.Shape[aw]);
            geometry = new ConvGeometry(conv.Strides, conv.Pads, conv.Groups, conv.Layout);
        }
        else
        {
            outAxis = 0;
            weights = w.ToInt32Values();
        }
        if (wq.IsPerChannel && wq.Axis != outAxis)
        {
            return null;
        }

        int channels = w.Shape[outAxis];
        double[] multipliers = QLinearLayers.Multipliers(x.Quant!.Scale, wq, y.Quant!.Scale, channels);
        double[] own = new double[channels];
        bool floatProduct = node.Op is Conv2d ? x.DType == DataType.UInt8 : !wq.IsPerChannel; // as the CPU kernels (TFLite) do
        for (int c = 0; c < channels; c++)
        {
            own[c] = FixedPoint.RealMultiplier(x.Quant.Scale, wq.ScaleAt(c), y.Quant.Scale, floatProduct);
        }
        FusedActivation activation = node.Op is Conv2d c2 ? c2.Activation : ((Dense)node.Op).Activation;
        (int min, int max) = QuantizedActivation.Range(activation, y);
        return new QuantizedLayer(node.Inputs[0], weights, weightShape, [.. wq.ZeroPoints], multipliers, bias is null ? [] : bias.ToInt32Values(),
            node.Output, min, max, geometry, Exact: new ExactRequant(ExactRequantKind.TfliteFixedPoint, ExactRequantization.TfliteRows(own)));
    }

    /// <summary>Adds the VTA node of <paramref name="layer"/> (named as <paramref name="node"/>), or notes why the layer keeps its arithmetic.</summary>
    private bool Emit(RewriteState s, Node node, QuantizedLayer layer)
    {
        TensorType x = s.Graph.TypeOf(layer.Data), y = s.Graph.TypeOf(layer.Output);
        int channels = layer.Channels;
        int inputZero = Int8ZeroPoint(x);
        VtaLayerForm? form = null;
        string? reason = null;
        if (exact)
        {
            form = ExactForm(layer, inputZero, out reason);
        }
        else if (config is { HasAluMul: true })
        {
            form = VtaMultiplyRequantization.Rewrite(layer.Weights, channels, layer.WeightZeroPoints, layer.Multipliers, layer.Bias, inputZero, out reason);
        }
        if (!exact)
        {
            form ??= VtaRequantization.Rewrite(layer.Weights, channels, layer.WeightZeroPoints, layer.Multipliers, layer.Bias, inputZero,
                out reason);
        }
        if (form is null)
        {
            string kind = node.Op.Kind + (layer.Absorbed is { } add ? $" + {add.Op.Kind} {add.Name}" : string.Empty);
            _notes.Add($"{node.Name} ({kind}) keeps its own arithmetic: {reason}");
            return false;
        }

        int shift = y.DType == DataType.UInt8 ? -128 : 0;
        int zo = y.Quant!.ZeroPoint + shift;
        ExactRequantKind? exactKind = form.Exact?.Kind;
        Op op = layer.Conv is { } cv
            ? new VtaConv2d(cv.Strides, cv.Pads, cv.Groups, inputZero, zo, layer.Min + shift, layer.Max + shift, cv.Layout, Exact: exactKind,
                InputSumFactor: form.InputSumFactor)
            : new VtaDense(zo, layer.Min + shift, layer.Max + shift, Exact: exactKind, InputSumFactor: form.InputSumFactor);

        string data = s.Int8(layer.Data);
        string wName = s.Builder.UniqueValueName(node.Name + "/vta_weights");
        string bName = s.Builder.UniqueValueName(node.Name + "/vta_bias");
        string kName = s.Builder.UniqueValueName(node.Name + "/vta_shifts");
        // An input-sum channel is one more row of weights (the exact form of uint8 weights).
        Shape weightShape = form.InputSumFactor == 0 ? layer.WeightShape : layer.WeightShape.WithDim(0, channels + 1);
        s.Builder.AddConstant(wName, Tensor.FromArray(weightShape, form.Weights));
        s.Builder.AddConstant(bName, Tensor.FromArray(new Shape(channels), form.Bias));
        Shape requantShape = form.Exact is { } e ? new Shape(ExactRequantization.Rows(e.Kind), channels)
            : form.Multiply is null ? new Shape(channels) : new Shape(VtaMultiplyRows.Count, channels);
        s.Builder.AddConstant(kName, Tensor.FromArray(requantShape, form.RequantValues));
        string output = y.DType == DataType.UInt8 ? s.Builder.UniqueValueName(layer.Output + "/int8") : layer.Output;
        s.Builder.AddNode(node.Name, op, [data, wName, bName, kName], output, Quantization.PerTensor(y.Quant.Scale, zo));
        if (output != layer.Output)
        {
            s.ProducedAsInt8(layer.Output, output);
        }
        if (layer.Absorbed is { } absorbed)
        {
            s.Absorbed.Add(absorbed.Name);
        }
        _forms[node.Name] = form;
        return true;
    }

    /// <summary>
    /// The exact form: the model's weights (w − zw must be int8), the bias with the input zero point folded in
    /// (b − zx·Σ(w − zw)), and the model's own requantization rows; null with a reason when the layer has no known own
    /// requantization, its weights leave int8, or its sums could need more than four byte planes.
    /// </summary>
    private static VtaLayerForm? ExactForm(QuantizedLayer layer, int inputZero, out string? reason)
    {
        if (layer.Exact is not { } own)
        {
            reason = "the exact form needs the layer's own requantization (a folded Gemm bias rounds twice)";
            return null;
        }

        int channels = layer.Channels;
        CenteredWeights? centered = CenteredWeights.Of(layer.Weights, channels, layer.WeightZeroPoints, out reason);
        int factor = 0;
        if (centered is null)
        {
            if (layer.WeightZeroPoints.Length != 1 || layer.Weights.Any(v => v is < byte.MinValue or > byte.MaxValue) || layer.Conv is { Groups: > 1 })
            {
                reason += ", so VTA cannot run the model's own weights";
                return null;
            }

            // uint8 weights with one zero point: w − zw = (w − 128) + (128 − zw). VTA multiplies by w − 128 (int8) and
            // sums the input in one more channel of ones; the host adds (128 − zw) times that sum to every channel.
            factor = 128 - layer.WeightZeroPoints[0];
            centered = CenteredWeights.Of(layer.Weights, channels, [128], out _)!;
        }

        var b = new int[channels];
        long[] sums = new long[channels], absSums = new long[channels];
        int perChannel = layer.Weights.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                long modelWeight = centered.Weights[i] + factor; // w − zw
                sums[c] += modelWeight;
                absSums[c] += Math.Abs(modelWeight);
            }

            long bias = (layer.Bias.Length == 0 ? 0 : layer.Bias[c]) - (inputZero * sums[c]);
            if (bias is < int.MinValue or > int.MaxValue || ExactRequantization.PlanesFor((absSums[c] * 128) + Math.Abs(bias)) < 0)
            {
                reason = $"output channel {c}: the sums could leave int32";
                return null;
            }

            b[c] = (int)bias;
        }

        sbyte[] weights = factor == 0 ? centered.Weights : [.. centered.Weights, .. Enumerable.Repeat((sbyte)1, perChannel)];
        reason = null;
        return new VtaLayerForm(weights, b, []) { Exact = own, InputSumFactor = factor };
    }

    /// <summary>Groups of 1, or whole blocks per group on both sides (the operator compiler's rule) when a configuration is known.</summary>
    internal static bool GroupsFit(VtaConfig? config, int groups, int inChannels, int outChannels) =>
        groups == 1 || (config is not null && inChannels / groups % config.BlockIn == 0 && outChannels / groups % config.BlockOut == 0);

    private static bool IsQuantizedByte(TensorType t) =>
        t.DType is DataType.Int8 or DataType.UInt8 && t.Quant is { IsPerChannel: false };

    private static int Int8ZeroPoint(TensorType t) => t.Quant!.ZeroPoint - (t.DType == DataType.UInt8 ? 128 : 0);

    /// <summary>The graph being built and the int8 twins of uint8 values.</summary>
    private sealed class RewriteState(Graph graph)
    {
        private readonly Dictionary<string, string> _int8 = [];
        private readonly Dictionary<string, string> _pendingOriginal = [];

        public Graph Graph { get; } = graph;

        public GraphBuilder Builder { get; } = GraphBuilder.StartFrom(graph);

        /// <summary>Nodes a rewritten layer replaced besides its own (a QLinearMatMul's bias add).</summary>
        public HashSet<string> Absorbed { get; } = [];

        /// <summary>The int8 version of a value: itself, or its twin (created on first use) when it is uint8.</summary>
        public string Int8(string value)
        {
            if (_int8.TryGetValue(value, out string? twin))
            {
                return twin;
            }
            TensorType t = Graph.TypeOf(value);
            if (t.DType == DataType.Int8)
            {
                return value;
            }
            twin = Builder.UniqueValueName(value + "/int8");
            Quantization q = Quantization.PerTensor(t.Quant!.Scale, t.Quant.ZeroPoint - 128);
            Builder.AddNode(Builder.UniqueNodeName(NameOf(value) + "/to_int8"), new Requantize(DataType.Int8), [value], twin, q);
            _int8[value] = twin;
            return twin;
        }

        /// <summary>A rewritten node now produces <paramref name="int8"/> in place of the uint8 value <paramref name="original"/>.</summary>
        public void ProducedAsInt8(string original, string int8)
        {
            _int8[original] = int8;
            _pendingOriginal[original] = int8;
        }

        /// <summary>Makes sure the original (uint8) value exists before a node that is not rewritten reads it.</summary>
        public void Original(string value)
        {
            if (_pendingOriginal.Remove(value, out string? int8))
            {
                Builder.AddNode(Builder.UniqueNodeName(NameOf(value) + "/to_uint8"), new Requantize(DataType.UInt8), [int8], value, Graph.TypeOf(value).Quant);
            }
        }

        /// <summary>A short name for conversion nodes: the producing node's, or the value's for inputs.</summary>
        private string NameOf(string value) => Graph.ProducerOf(value)?.Name ?? value;
    }
}
