using Vta.Cli.Commands.Classify;
using Vta.Compiler.Graphs;

namespace Vta.Cli.Tests;

/// <summary>Top-1 agreement with a reference whose quantized output may put several classes on its highest step.</summary>
public class ReferenceComparisonTests
{
    private static readonly Quantization Step = Quantization.PerTensor(0.5f, 0);

    /// <summary>A model whose output is its uint8 input: logits on a 0.5 step, no softmax.</summary>
    private static readonly ModelOutput Logits = ModelOutput.For(LogitsGraph(), "test");

    [Fact]
    public void AClassTiedWithTheReferencesTopOneAgreesButIsNotEqual()
    {
        // The reference (argmax = first of the highest) picks class 1; class 3 has the same step; ours puts class 3 above class 1.
        ReferenceComparison c = Compare(reference: [10, 90, 20, 90, 5], ours: [10, 89, 20, 91, 5]);
        Assert.Equal(1, c.ReferenceTop1.Index);
        Assert.Equal(3, c.Top1.Index);
        Assert.Equal([1, 3], c.ReferenceTop1Ties);
        Assert.True(c.ReferenceTied);
        Assert.False(c.Top1Equal);
        Assert.True(c.Top1Agrees);
        Assert.Equal(2, c.ReferenceTop1Rank);
    }

    [Fact]
    public void WithoutATieOnlyTheSameClassAgrees()
    {
        ReferenceComparison c = Compare(reference: [10, 90, 20, 89, 5], ours: [10, 89, 20, 91, 5]);
        Assert.Equal([1], c.ReferenceTop1Ties);
        Assert.False(c.ReferenceTied);
        Assert.False(c.Top1Agrees);

        ReferenceComparison same = Compare(reference: [10, 90, 20, 89, 5], ours: [10, 91, 20, 90, 5]);
        Assert.True(same.Top1Equal && same.Top1Agrees);
    }

    [Fact]
    public void ATieOutsideOurTopOneDoesNotAgree()
    {
        ReferenceComparison c = Compare(reference: [10, 90, 20, 90, 5], ours: [95, 89, 20, 88, 5]);
        Assert.Equal([1, 3], c.ReferenceTop1Ties);
        Assert.False(c.Top1Agrees);
        Assert.Contains("DIFFERENT", Commands.ClassifyCommand.Agreement(c), StringComparison.Ordinal);
    }

    private static ReferenceComparison Compare(byte[] reference, byte[] ours)
    {
        Tensor Quantized(byte[] v) => new(new TensorType(DataType.UInt8, new Shape(1, v.Length), Step), v);
        return ReferenceComparison.Compare(new ReferenceOutput("test", Quantized(reference)), Quantized(ours), Logits, labels: null);
    }

    private static Graph LogitsGraph()
    {
        var b = new GraphBuilder("logits");
        b.AddInput("x", new TensorType(DataType.UInt8, new Shape(1, 5), Step));
        b.AddOutput("x");
        return b.Build();
    }
}
