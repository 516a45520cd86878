using Vta.Compiler.Graphs;

namespace Vta.Compiler.Passes;

/// <summary>
/// Folds an inference batch norm into the float convolution that feeds it (TVM's SimplifyInference + FoldScaleAxis
/// for this case): with s = gamma / sqrt(var + eps) per output channel, W' = W s and b' = (b - mean) s + beta.
/// Applies when the conv (Conv2d or DepthwiseConv2d) is float, has no fused activation, constant weights and bias
/// (or none), its output feeds only the batch norm, and the batch norm normalizes the conv's channel axis with
/// constant parameters. The folded conv takes the batch norm's output name; old weights become dead constants.
/// </summary>
public sealed class FoldBatchNorm : IGraphPass
{
    public Graph Run(Graph graph, PassContext context)
    {
        Dictionary<Node, Node> batchNormOfConv = [];
        foreach (Node bn in graph.Nodes.Where(n => n.Op is BatchNorm))
        {
            if (graph.ProducerOf(bn.Inputs[0]) is { } conv && CanFold(graph, conv, bn))
            {
                batchNormOfConv[conv] = bn;
            }
        }
        HashSet<Node> folded = [.. batchNormOfConv.Values];
        GraphBuilder builder = GraphBuilder.StartFrom(graph);
        foreach (Node node in graph.Nodes)
        {
            if (folded.Contains(node))
            {
                continue;
            }
            if (!batchNormOfConv.TryGetValue(node, out Node? bn))
            {
                builder.CopyNode(graph, node);
                continue;
            }
            (Tensor weights, Tensor bias) = Fold(graph, node, bn);
            string w = builder.UniqueValueName(node.Inputs[1] + "/bn_folded");
            string b = builder.UniqueValueName(node.Name + "/bn_folded_bias");
            builder.AddConstant(w, weights);
            builder.AddConstant(b, bias);
            builder.AddNode(node.Name, node.Op, [node.Inputs[0], w, b], bn.Output);
        }
        foreach (string output in graph.Outputs)
        {
            builder.AddOutput(output);
        }
        return builder.Build();
    }

    private static bool CanFold(Graph graph, Node conv, Node bn)
    {
        (FusedActivation activation, DataLayout layout) = conv.Op switch
        {
            Conv2d c => (c.Activation, c.Layout),
            DepthwiseConv2d d => (d.Activation, d.Layout),
            _ => (FusedActivation.Relu, DataLayout.Nchw),
        };
        TensorType convOut = graph.TypeOf(conv.Output);
        return (conv.Op is Conv2d or DepthwiseConv2d)
            && activation == FusedActivation.None
            && convOut.DType == DataType.Float32
            && graph.ConsumersOf(conv.Output).Count == 1
            && !graph.Outputs.Contains(conv.Output)
            && conv.Inputs.Skip(1).All(graph.IsConstant)
            && bn.Inputs.Skip(1).All(graph.IsConstant)
            && convOut.Shape.NormalizeAxis(((BatchNorm)bn.Op).Axis) == layout.ChannelAxis();
    }

    private static (Tensor Weights, Tensor Bias) Fold(Graph graph, Node conv, Node bn)
    {
        float epsilon = ((BatchNorm)bn.Op).Epsilon;
        float[] gamma = graph.Constants[bn.Inputs[1]].As<float>();
        float[] beta = graph.Constants[bn.Inputs[2]].As<float>();
        float[] mean = graph.Constants[bn.Inputs[3]].As<float>();
        float[] variance = graph.Constants[bn.Inputs[4]].As<float>();
        Tensor weights = graph.Constants[conv.Inputs[1]];
        KernelLayout kernelLayout = conv.Op is Conv2d c ? c.KernelLayout : ((DepthwiseConv2d)conv.Op).KernelLayout;
        int outAxis = kernelLayout.Axes().O;
        int channels = weights.Shape[outAxis];
        float[] scale = new float[channels];
        for (int o = 0; o < channels; o++)
        {
            scale[o] = gamma[o] / MathF.Sqrt(variance[o] + epsilon);
        }
        float[] w = weights.ToFloats();
        int[] channelOf = ChannelIndex(weights.Shape, outAxis);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= scale[channelOf[i]];
        }
        float[] oldBias = conv.Inputs.Count > 2 ? graph.Constants[conv.Inputs[2]].As<float>() : new float[channels];
        float[] b = new float[channels];
        for (int o = 0; o < channels; o++)
        {
            b[o] = ((oldBias[o] - mean[o]) * scale[o]) + beta[o];
        }
        return (Tensor.FromArray(weights.Shape, w), Tensor.FromArray(new Shape(channels), b));
    }

    private static int[] ChannelIndex(Shape shape, int axis)
    {
        int inner = 1;
        for (int d = axis + 1; d < shape.Rank; d++)
        {
            inner *= shape[d];
        }
        return Enumerable.Range(0, shape.ElementCount).Select(i => i / inner % shape[axis]).ToArray();
    }
}
