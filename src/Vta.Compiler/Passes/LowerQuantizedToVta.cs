using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Quant;
using Vta.Hardware.Config;

namespace Vta.Compiler.Passes;

/// <summary>
/// Rewrites every pre-quantized conv2d and dense that VTA could run into its VTA form (<see cref="VtaConv2d"/>,
/// <see cref="VtaDense"/>; arithmetic in <see cref="VtaRequantization"/>). VTA ops take and give int8: a uint8 value
/// (s, z) is the int8 value (s, z − 128) with bytes x − 128, which is exact, so a uint8 producer gets an int8 twin
/// (a requantize with equal scales) and a rewritten node's int8 output is turned back into the original uint8 value only
/// where a CPU op or a graph output reads it. Other nodes keep their ops and types, so their arithmetic is the model's.
/// A grouped conv is rewritten only when its channels per group fill whole blocks of <c>config</c>; a layer whose
/// multiplier cannot be expressed (see <see cref="VtaRequantization.Rewrite"/>) stays as it is, with a note.
/// </summary>
public sealed class LowerQuantizedToVta(VtaConfig? config = null) : IGraphPass
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
        Graph g = s.Graph;
        if (node.Op is not (Conv2d or Dense) || node.Inputs.Count < 2 || !g.IsConstant(node.Inputs[1])
            || (node.Inputs.Count == 3 && !g.IsConstant(node.Inputs[2])))
        {
            return false;
        }
        TensorType x = g.TypeOf(node.Inputs[0]), y = g.TypeOf(node.Output);
        Tensor w = g.ConstantOf(node.Inputs[1])!;
        Tensor? bias = node.Inputs.Count == 3 ? g.ConstantOf(node.Inputs[2]) : null;
        if (!IsQuantizedByte(x) || !IsQuantizedByte(y) || w.Quant is not { } wq || w.DType is not (DataType.Int8 or DataType.UInt8)
            || bias is { DType: not DataType.Int32 })
        {
            return false;
        }

        // Weights channel-major (OIHW or [U, K]); the per-channel axis must be the output channels.
        int[] weights;
        int outAxis;
        if (node.Op is Conv2d conv)
        {
            if (conv.Dilations != Size2d.One || !GroupsFit(conv, x, w))
            {
                return false;
            }
            outAxis = conv.KernelLayout.Axes().O;
            weights = LayoutConversion.ToOihw(w.ToInt32Values(), w.Shape, conv.KernelLayout).Data;
        }
        else
        {
            outAxis = 0;
            weights = w.ToInt32Values();
        }
        if (wq.IsPerChannel && wq.Axis != outAxis)
        {
            return false;
        }

        int channels = w.Shape[outAxis];
        double[] multipliers = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            multipliers[c] = (double)x.Quant!.Scale * wq.ScaleAt(c) / y.Quant!.Scale;
        }
        int inputZero = Int8ZeroPoint(x);
        VtaLayerForm? form = VtaRequantization.Rewrite(weights, channels, wq.ZeroPoints.ToArray(), multipliers,
            bias is null ? [] : bias.ToInt32Values(), inputZero, out string? reason);
        if (form is null)
        {
            _notes.Add($"{node.Name} ({node.Op.Kind}) keeps its own arithmetic: {reason}");
            return false;
        }

        FusedActivation activation = node.Op is Conv2d c2 ? c2.Activation : ((Dense)node.Op).Activation;
        (int min, int max) = QuantizedActivation.Range(activation, y);
        int shift = y.DType == DataType.UInt8 ? -128 : 0;
        int zo = y.Quant!.ZeroPoint + shift;
        Op op = node.Op is Conv2d cv
            ? new VtaConv2d(cv.Strides, cv.Pads, cv.Groups, inputZero, zo, min + shift, max + shift, cv.Layout)
            : new VtaDense(zo, min + shift, max + shift);
        Shape weightShape = node.Op is Conv2d k
            ? KernelLayout.Oihw.MakeShape(channels, w.Shape[k.KernelLayout.Axes().I], w.Shape[k.KernelLayout.Axes().H], w.Shape[k.KernelLayout.Axes().W])
            : w.Shape;

        string data = s.Int8(node.Inputs[0]);
        string wName = s.Builder.UniqueValueName(node.Name + "/vta_weights");
        string bName = s.Builder.UniqueValueName(node.Name + "/vta_bias");
        string kName = s.Builder.UniqueValueName(node.Name + "/vta_shifts");
        s.Builder.AddConstant(wName, Tensor.FromArray(weightShape, form.Weights));
        s.Builder.AddConstant(bName, Tensor.FromArray(new Shape(channels), form.Bias));
        s.Builder.AddConstant(kName, Tensor.FromArray(new Shape(channels), form.Shifts));
        string output = y.DType == DataType.UInt8 ? s.Builder.UniqueValueName(node.Output + "/int8") : node.Output;
        s.Builder.AddNode(node.Name, op, [data, wName, bName, kName], output, Quantization.PerTensor(y.Quant.Scale, zo));
        if (output != node.Output)
        {
            s.ProducedAsInt8(node.Output, output);
        }
        _forms[node.Name] = form;
        return true;
    }

    /// <summary>Groups of 1, or whole blocks per group on both sides (the operator compiler's rule) when a configuration is known.</summary>
    private bool GroupsFit(Conv2d conv, TensorType x, Tensor w)
    {
        if (conv.Groups == 1)
        {
            return true;
        }
        int inPerGroup = x.Shape[conv.Layout.ChannelAxis()] / conv.Groups;
        int outPerGroup = w.Shape[conv.KernelLayout.Axes().O] / conv.Groups;
        return config is not null && inPerGroup % config.BlockIn == 0 && outPerGroup % config.BlockOut == 0;
    }

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
