using Vta.Frontend.Labels;

namespace Vta.Frontend.Tests.Labels;

public class TopKTests
{
    [Fact]
    public void Orders_by_score_descending()
    {
        float[] scores = [0.1f, 0.7f, 0.05f, 0.9f, 0.3f];
        Assert.Equal(new[] { 3, 1, 4 }, TopK.Indices(scores, 3));
        Assert.Equal(new[] { 3, 1, 4, 0, 2 }, TopK.Indices(scores, 10)); // k past the end: all of them
        Assert.Empty(TopK.Indices(scores, 0));
    }

    [Fact]
    public void Ties_keep_the_lower_index_first()
    {
        float[] scores = [5, 9, 5, 9, 5, 1];
        Assert.Equal(new[] { 1, 3, 0, 2 }, TopK.Indices(scores, 4));
    }

    [Fact]
    public void NaN_ranks_last()
    {
        float[] scores = [float.NaN, -1f, float.NaN, -5f];
        Assert.Equal(new[] { 1, 3, 0 }, TopK.Indices(scores, 3));
    }

    [Fact]
    public void Predictions_carry_labels_and_scores()
    {
        // The golden ResNet-8 output for chelsea, dequantized: (q + 128) / 256.
        sbyte[] q = [-128, -128, -128, 125, -128, -128, -126, -128, -128, -128];
        float[] scores = q.Select(v => (v + 128) / 256f).ToArray();
        IReadOnlyList<Prediction> top = TopK.Select(scores, LabelSet.Cifar10, 3);

        Assert.Equal(new Prediction(3, "cat", 253 / 256f), top[0]);
        Assert.Equal(new Prediction(6, "frog", 2 / 256f), top[1]);
        Assert.Equal(new Prediction(0, "airplane", 0f), top[2]);
        Assert.Equal("#12", TopK.Select([0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 1f], LabelSet.Cifar10, 1)[0].Label);
    }

    [Fact]
    public void Softmax_sums_to_one_and_keeps_order()
    {
        float[] p = TopK.Softmax([1f, 2f, 3f]);
        Assert.Equal(1.0, p.Sum(), 6);
        Assert.Equal(0.0900306, p[0], 6);
        Assert.Equal(0.6652410, p[2], 6);
        Assert.Equal(0.5f, TopK.Softmax([1000f, 1000f])[0]); // no overflow
    }
}
