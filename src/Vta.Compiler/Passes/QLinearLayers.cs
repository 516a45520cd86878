using Vta.Compiler.Graphs;
using Vta.Hardware.Config;

namespace Vta.Compiler.Passes;

/// <summary>
/// Recognizes the ONNX quantized layers VTA can take, for <see cref="LowerQuantizedToVta"/>: a <see cref="QLinearConv2d"/>
/// with constant weights (groups as <see cref="LowerQuantizedToVta.GroupsFit"/> allows, no dilation), and a
/// <see cref="QLinearMatMul"/> of a [N, K] value by constant [K, U] weights, together with the <see cref="QLinearAdd"/> of a
/// constant [U] vector that follows it (how ONNX's quantizer writes Gemm's bias) when the add is its only reader.
/// ONNX requantizes in float32 rounding half to even and saturates to the output type; the VTA form only needs the real
/// multiplier and the saturation range, so the description is the same as for a TFLite layer with no fused activation.
/// </summary>
internal static class QLinearLayers
{
    /// <summary>A fused bias may not come near int32's limit once the input zero point is folded in.</summary>
    private const double BiasLimit = 1 << 30;

    /// <summary>The layer, or null; with <paramref name="foldBias"/> false a Gemm's bias add stays a separate node (the exact form keeps its rounding).</summary>
    public static QuantizedLayer? Describe(Graph graph, Node node, VtaConfig? config, bool foldBias = true) => node.Op switch
    {
        QLinearConv2d conv => Conv(graph, node, conv, config),
        QLinearMatMul => MatMul(graph, node, foldBias),
        _ => null,
    };

    private static QuantizedLayer? Conv(Graph g, Node node, QLinearConv2d conv, VtaConfig? config)
    {
        if (!g.IsConstant(node.Inputs[1]) || (node.Inputs.Count == 3 && !g.IsConstant(node.Inputs[2])))
        {
            return null;
        }
        TensorType x = g.TypeOf(node.Inputs[0]), y = g.TypeOf(node.Output);
        Tensor w = g.ConstantOf(node.Inputs[1])!;
        int channels = w.Shape[0];
        if (conv.Dilations != Size2d.One || !LowerQuantizedToVta.GroupsFit(config, conv.Groups, x.Shape[1], channels))
        {
            return null;
        }
        int[] bias = node.Inputs.Count == 3 ? g.ConstantOf(node.Inputs[2])!.ToInt32Values() : [];
        double[] multipliers = Multipliers(x.Quant!.Scale, w.Quant!, y.Quant!.Scale, channels);
        return new QuantizedLayer(node.Inputs[0], w.ToInt32Values(), w.Shape, [.. w.Quant!.ZeroPoints], multipliers, bias, node.Output,
            (int)y.DType.MinValue(), (int)y.DType.MaxValue(), new ConvGeometry(conv.Strides, conv.Pads, conv.Groups, DataLayout.Nchw),
            Exact: OnnxExact(x.Quant.Scale, w.Quant, y.Quant.Scale, channels));
    }

    private static QuantizedLayer? MatMul(Graph g, Node node, bool foldBias)
    {
        TensorType a = g.TypeOf(node.Inputs[0]);
        Tensor? b = g.ConstantOf(node.Inputs[1]);
        if (a.Shape.Rank != 2 || b is null || b.Shape.Rank != 2)
        {
            return null;
        }
        int k = b.Shape[0], units = b.Shape[1];
        Quantization bq = b.Quant!;
        // [K, U] to the [U, K] of a dense layer; per-column quantization becomes per output channel.
        int[] columns = b.ToInt32Values();
        int[] weights = new int[columns.Length];
        for (int i = 0; i < k; i++)
        {
            for (int u = 0; u < units; u++)
            {
                weights[(u * k) + i] = columns[(i * units) + u];
            }
        }

        string output = node.Output;
        int[] bias = [];
        Tensor? vector = null;
        Node? add = foldBias ? BiasAdd(g, node, units, out vector) : null;
        if (add is not null && FoldBias(a.Quant!.Scale, bq, vector!, units) is { } folded)
        {
            output = add.Output;
            bias = folded;
        }
        else
        {
            add = null;
        }
        TensorType y = g.TypeOf(output);
        double[] multipliers = Multipliers(a.Quant!.Scale, bq, y.Quant!.Scale, units);
        return new QuantizedLayer(node.Inputs[0], weights, new Shape(units, k), [.. bq.ZeroPoints], multipliers, bias, output,
            (int)y.DType.MinValue(), (int)y.DType.MaxValue(), Conv: null, add, add is null ? OnnxExact(a.Quant!.Scale, bq, y.Quant!.Scale, units) : null);
    }

    /// <summary>The QLinearAdd that is the only reader of the matmul and adds a per-tensor constant of U elements along the last axis.</summary>
    private static Node? BiasAdd(Graph g, Node matmul, int units, out Tensor? vector)
    {
        vector = null;
        if (g.Outputs.Contains(matmul.Output) || g.ConsumersOf(matmul.Output) is not [{ Op: QLinearAdd } add] || add.Inputs[0] == add.Inputs[1])
        {
            return null;
        }
        Tensor? c = g.ConstantOf(add.Inputs[0] == matmul.Output ? add.Inputs[1] : add.Inputs[0]);
        if (c is not { Quant.IsPerChannel: false } || c.Shape.ElementCount != units || c.Shape.Rank == 0 || c.Shape[c.Shape.Rank - 1] != units
            || g.TypeOf(add.Output).Shape != g.TypeOf(matmul.Output).Shape)
        {
            return null;
        }
        vector = c;
        return add;
    }

    /// <summary>
    /// The bias s_b·(B_c − z_b) in the matmul's accumulator units s_a·s_w,c, rounded to int32; null when a channel's value
    /// is not finite or too large, so the add stays a separate CPU op.
    /// </summary>
    private static int[]? FoldBias(float inputScale, Quantization weightQ, Tensor vector, int units)
    {
        Quantization q = vector.Quant!;
        int[] values = vector.ToInt32Values();
        int[] bias = new int[units];
        for (int c = 0; c < units; c++)
        {
            double v = (double)q.Scale * (values[c] - q.ZeroPoint) / ((double)inputScale * weightQ.ScaleAt(c));
            if (!double.IsFinite(v) || Math.Abs(v) > BiasLimit)
            {
                return null;
            }
            bias[c] = (int)Math.Round(v, MidpointRounding.AwayFromZero);
        }
        return bias;
    }

    /// <summary>ONNX Runtime's own requantization of the layer (a folded Gemm bias has none: its add rounds once more).</summary>
    private static ExactRequant OnnxExact(float inputScale, Quantization weightQ, float outputScale, int channels) =>
        new(Quant.ExactRequantKind.OnnxFloat, Quant.ExactRequantization.OnnxRows(inputScale, weightQ, outputScale, channels));

    internal static double[] Multipliers(float inputScale, Quantization weightQ, float outputScale, int channels)
    {
        double[] m = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            m[c] = (double)inputScale * weightQ.ScaleAt(c) / outputScale;
        }
        return m;
    }
}
