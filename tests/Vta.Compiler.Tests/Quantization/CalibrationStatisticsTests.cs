using Vta.Compiler.Quant;

namespace Vta.Compiler.Tests.Quant;

/// <summary>The |x| histogram, its percentile and the KL threshold, against exact statistics of the same data.</summary>
public class CalibrationStatisticsTests
{
    [Fact]
    public void PercentileIsWithinOneBinOfTheExactQuantileEvenAfterTheRangeGrows()
    {
        var random = new Random(3);
        // Three batches, each with a larger range: the histogram merges bins twice.
        float[][] batches = [.. new[] { 1.0, 3.0, 20.0 }.Select(r => Enumerable.Range(0, 20000).Select(_ => (float)((random.NextDouble() - 0.5) * 2 * r)).ToArray())];
        var h = new AbsHistogram();
        foreach (float[] batch in batches)
        {
            h.Add(batch);
        }
        double[] sorted = [.. batches.SelectMany(b => b).Select(v => Math.Abs((double)v)).Order()];
        Assert.Equal(sorted[^1], h.Max, 6);
        Assert.Equal(sorted.Length, h.Total);
        Assert.True(h.Range >= h.Max && h.Range < 2 * h.Max + 1e-9);
        double bin = h.Range / AbsHistogram.DefaultBins;
        foreach (double p in new[] { 50.0, 90.0, 99.0, 99.9, 100.0 })
        {
            double exact = sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
            double got = h.Percentile(p);
            Assert.True(got >= exact - 1e-9 && got <= exact + bin + 1e-9, $"p{p}: histogram {got}, exact {exact}, bin {bin}");
        }
    }

    [Fact]
    public void KlKeepsTheWholeRangeOfUniformDataAndClipsRareOutliers()
    {
        var random = new Random(5);
        var uniform = new AbsHistogram();
        uniform.Add([.. Enumerable.Range(0, 200000).Select(_ => (float)random.NextDouble())]);
        double t = KlThreshold.Find(uniform);
        Assert.True(t >= 0.9 * uniform.Max, $"uniform: threshold {t} of max {uniform.Max}");

        // Gaussian bulk plus 5 values at 50σ: the threshold stays near the bulk, far below the outliers.
        var heavy = new AbsHistogram();
        float[] data = [.. Enumerable.Range(0, 200000).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
        heavy.Add(data);
        heavy.Add([50f, -50f, 50f, 50f, -50f]);
        double th = KlThreshold.Find(heavy);
        Assert.True(th is > 2 and < 10, $"gaussian with outliers: threshold {th}");
    }

    [Fact]
    public void AllZeroDataHasNoThreshold()
    {
        var h = new AbsHistogram();
        h.Add(new float[100]);
        Assert.Equal(0, KlThreshold.Find(h));
        Assert.Equal(0, h.Percentile(99));
        Assert.Throws<ArgumentException>(() => h.Add([float.NaN]));
    }
}
