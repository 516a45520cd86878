using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;
using static Vta.Compiler.Tests.Passes.PassTestGraphs;

namespace Vta.Compiler.Tests.Passes;

public class FoldBatchNormTests
{
    private static readonly float[] s_gamma = [2f, 0.5f];
    private static readonly float[] s_beta = [1f, -1f];
    private static readonly float[] s_mean = [0.5f, -2f];
    private static readonly float[] s_var = [4f, 0.25f];
    private const float Epsilon = 1e-3f;

    private static Graph ConvBatchNorm(Op conv, Shape weightShape, float[] weights, bool withBias, bool extraConsumer = false)
    {
        GraphBuilder b = new("conv-bn");
        b.AddInput("x", new TensorType(DataType.Float32, new Shape(1, 2, 5, 5)));
        b.AddConstant("w", F(weightShape, weights));
        b.AddConstant("b", F(new Shape(2), 0.25f, -0.75f));
        b.AddConstant("gamma", F(new Shape(2), s_gamma));
        b.AddConstant("beta", F(new Shape(2), s_beta));
        b.AddConstant("mean", F(new Shape(2), s_mean));
        b.AddConstant("var", F(new Shape(2), s_var));
        b.AddNode("conv", conv, withBias ? ["x", "w", "b"] : ["x", "w"], "c");
        b.AddNode("bn", new BatchNorm(Epsilon), ["c", "gamma", "beta", "mean", "var"], "y");
        b.AddOutput("y");
        if (extraConsumer)
        {
            b.AddOutput("c");
        }
        return b.Build();
    }

    [Fact]
    public void FoldsIntoConvWeightsAndBias()
    {
        float[] weights = Enumerable.Range(0, 2 * 2 * 3 * 3).Select(i => (i % 7) - 3f).ToArray();
        Graph g = ConvBatchNorm(new Conv2d(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One), new Shape(2, 2, 3, 3), weights, withBias: true);
        Graph folded = new PassManager(new FoldBatchNorm(), new DeadCodeElimination()).Run(g, new PassContext());

        Node conv = Assert.Single(folded.Nodes);
        Assert.Equal("conv", conv.Name);
        Assert.Equal("y", conv.Output);
        float[] w = folded.Constants[conv.Inputs[1]].As<float>();
        float[] bias = folded.Constants[conv.Inputs[2]].As<float>();
        float[] originalBias = [0.25f, -0.75f];
        for (int o = 0; o < 2; o++)
        {
            float s = s_gamma[o] / MathF.Sqrt(s_var[o] + Epsilon);
            for (int i = 0; i < 18; i++)
            {
                Assert.Equal(weights[(o * 18) + i] * s, w[(o * 18) + i], 5);
            }
            Assert.Equal(((originalBias[o] - s_mean[o]) * s) + s_beta[o], bias[o], 5);
        }
        Assert.DoesNotContain("w", folded.Constants.Keys);
        Assert.DoesNotContain("gamma", folded.Constants.Keys);

        Tensor x = RandomInput(new Shape(1, 2, 5, 5), 1);
        float[] before = RunSingle(g, x), after = RunSingle(folded, x);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], after[i], 4);
        }
    }

    [Fact]
    public void FoldsIntoDepthwiseWithoutBiasAlongItsOutputAxis()
    {
        float[] weights = Enumerable.Range(0, 2 * 3 * 3).Select(i => 0.1f * i).ToArray();
        Graph g = ConvBatchNorm(new DepthwiseConv2d(Size2d.One, Pads2d.Zero, Size2d.One), new Shape(2, 1, 3, 3), weights, withBias: false);
        Graph folded = new FoldBatchNorm().Run(g, new PassContext());
        Assert.DoesNotContain(folded.Nodes, n => n.Op is BatchNorm);
        Tensor x = RandomInput(new Shape(1, 2, 5, 5), 2);
        float[] before = RunSingle(g, x), after = RunSingle(folded, x);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], after[i], 4);
        }
    }

    [Fact]
    public void LeavesBatchNormsItCannotFold()
    {
        float[] weights = new float[36];
        Conv2d conv = new(Size2d.One, Pads2d.Zero, Size2d.One);
        Graph withRelu = ConvBatchNorm(conv with { Activation = FusedActivation.Relu }, new Shape(2, 2, 3, 3), weights, withBias: true);
        Assert.Contains(new FoldBatchNorm().Run(withRelu, new PassContext()).Nodes, n => n.Op is BatchNorm);
        Graph shared = ConvBatchNorm(conv, new Shape(2, 2, 3, 3), weights, withBias: true, extraConsumer: true);
        Assert.Contains(new FoldBatchNorm().Run(shared, new PassContext()).Nodes, n => n.Op is BatchNorm);
    }
}
