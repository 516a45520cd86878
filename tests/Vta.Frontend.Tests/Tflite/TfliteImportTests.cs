using Vta.Compiler.Graphs;
using Vta.Frontend.Tflite;

namespace Vta.Frontend.Tests.Tflite;

public class TfliteImportTests
{
    [Theory]
    [InlineData(TestModels.MobileNetV2, "CONV_2D,DEPTHWISE_CONV_2D,ADD,AVERAGE_POOL_2D,RESHAPE,SOFTMAX", 66)]
    [InlineData(TestModels.ResNet8, "CONV_2D,ADD,AVERAGE_POOL_2D,RESHAPE,FULLY_CONNECTED,SOFTMAX", 16)]
    [InlineData(TestModels.KeywordSpotting, "CONV_2D,DEPTHWISE_CONV_2D,AVERAGE_POOL_2D,RESHAPE,FULLY_CONNECTED,SOFTMAX", 13)]
    public void ImportsEveryOperatorWithTheShapesStoredInTheFile(string model, string operators, int operatorCount)
    {
        TfliteModel file = TfliteReader.ReadFile(TestModels.PathOf(model));
        TfliteSubgraph sub = file.Subgraphs[0];
        Assert.Equal(operators, string.Join(",", sub.Operators.Select(o => o.Code.Name).Distinct()));
        Assert.Equal(operatorCount, sub.Operators.Count);

        Graph graph = TfliteImporter.Import(file);

        // Every operator output is a graph value whose inferred type agrees with the file.
        foreach (TfliteOperator op in sub.Operators)
        {
            foreach (int o in op.Outputs)
            {
                TfliteTensor t = sub.Tensors[o];
                TensorType inferred = graph.TypeOf(t.Name);
                Assert.Equal(new Shape(t.Shape), inferred.Shape);
                Assert.Equal(t.Type.ToString(), inferred.DType.ToString());
                Assert.Equal(t.Quantization?.Scales[0], inferred.Quant?.Scales[0]);
            }
        }
        Assert.Equal(sub.Inputs.Select(i => sub.Tensors[i].Name), graph.Inputs);
        Assert.Equal(sub.Outputs.Select(i => sub.Tensors[i].Name), graph.Outputs);
    }

    [Theory]
    [InlineData(TestModels.MobileNetV2)]
    [InlineData(TestModels.ResNet8)]
    [InlineData(TestModels.KeywordSpotting)]
    public void GraphTextListsEveryNodeWithItsOutputType(string model)
    {
        Graph graph = TfliteImporter.ImportFile(TestModels.PathOf(model));
        string[] lines = graph.ToText().Split('\n');
        foreach (Node node in graph.Nodes)
        {
            string expected = $"  node   {node.Name} = {node.Op.Kind}";
            string line = Assert.Single(lines, l => l.StartsWith(expected, StringComparison.Ordinal));
            Assert.EndsWith($"-> {node.Output}: {graph.TypeOf(node.Output)}", line);
            Assert.Contains(graph.TypeOf(node.Output).Shape.ToString(), line);
        }
        Assert.Equal(graph.Inputs.Count, lines.Count(l => l.StartsWith("  input ", StringComparison.Ordinal)));
        Assert.Equal(graph.Constants.Count, lines.Count(l => l.StartsWith("  const ", StringComparison.Ordinal)));
    }

    [Fact]
    public void MobileNetKeepsNhwcAndTfliteQuantization()
    {
        Graph graph = TfliteImporter.ImportFile(TestModels.PathOf(TestModels.MobileNetV2));
        TensorType input = graph.TypeOf(graph.Inputs[0]);
        Assert.Equal("uint8[1,224,224,3] q(s=0.0078125, zp=128)", input.ToString());
        Node first = graph.Nodes[0];
        Conv2d conv = Assert.IsType<Conv2d>(first.Op);
        Assert.Equal(new Conv2d(new Size2d(2, 2), new Pads2d(0, 0, 1, 1), Size2d.One, 1, FusedActivation.Relu6, DataLayout.Nhwc, KernelLayout.Ohwi), conv);
        Assert.IsType<DepthwiseConv2d>(graph.Nodes[1].Op);
        Assert.Equal(KernelLayout.Ihwo, ((DepthwiseConv2d)graph.Nodes[1].Op).KernelLayout);
        Assert.Equal("uint8[1,1001] q(s=0.00390625, zp=0)", graph.TypeOf(graph.Outputs[0]).ToString());
    }

    [Fact]
    public void ResNet8HasPerChannelInt8WeightsAndAnExplicitFlattenBeforeDense()
    {
        Graph graph = TfliteImporter.ImportFile(TestModels.PathOf(TestModels.ResNet8));
        Node conv = graph.Nodes.First(n => n.Op is Conv2d);
        Quantization weights = graph.TypeOf(conv.Inputs[1]).Quant!;
        Assert.True(weights.IsPerChannel);
        Assert.Equal(0, weights.Axis);
        Assert.Equal(graph.TypeOf(conv.Inputs[1]).Shape[0], weights.Scales.Count);
        Node dense = graph.Nodes.Single(n => n.Op is Dense);
        Assert.Equal(2, graph.TypeOf(dense.Inputs[0]).Rank);
        Assert.Equal("int8[1,10] q(s=0.00390625, zp=-128)", graph.TypeOf(graph.Outputs[0]).ToString());
    }
}
