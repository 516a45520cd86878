namespace Vta.Compiler.Quant;

/// <summary>
/// A histogram of |x| over [0, Range) with a fixed number of bins, fed one tensor at a time. When a tensor holds a
/// larger |x| the range grows by a power of two and whole groups of bins merge, so no count moves between bins
/// unevenly and the result depends only on the data and its order (deterministic).
/// </summary>
public sealed class AbsHistogram
{
    /// <summary>Fine bins: the KL search merges them 8 to 1 into TensorRT's 2048.</summary>
    public const int DefaultBins = 2048 * 8;

    private long[] _counts;

    public AbsHistogram(int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        _counts = new long[bins];
    }

    /// <summary>The upper end of the last bin; 0 while only zeros have been seen.</summary>
    public double Range { get; private set; }

    /// <summary>The largest |x| seen.</summary>
    public double Max { get; private set; }

    public long Total { get; private set; }

    /// <summary>How many values were exactly 0 (they are in bin 0 too): ReLU outputs have many, and 0 is exact at any scale.</summary>
    public long Zeros { get; private set; }

    public IReadOnlyList<long> Counts => _counts;

    public void Add(ReadOnlySpan<float> values)
    {
        double max = 0;
        foreach (float v in values)
        {
            double a = Math.Abs((double)v);
            if (double.IsNaN(a) || double.IsInfinity(a))
            {
                throw new ArgumentException($"calibration value {v} is not finite");
            }
            max = Math.Max(max, a);
        }
        Max = Math.Max(Max, max);
        if (max > Range)
        {
            Grow(max);
        }
        int bins = _counts.Length;
        foreach (float v in values)
        {
            double a = Math.Abs((double)v);
            int bin = Range == 0 ? 0 : (int)Math.Min(a / Range * bins, bins - 1);
            _counts[bin]++;
            Zeros += a == 0 ? 1 : 0;
        }
        Total += values.Length;
    }

    /// <summary>The smallest bin edge below which at least <paramref name="percent"/>% of the values lie.</summary>
    public double Percentile(double percent)
    {
        if (Total == 0)
        {
            throw new InvalidOperationException("no values in the histogram");
        }
        double target = percent / 100 * Total;
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                return Math.Min((i + 1) * Range / _counts.Length, Max);
            }
        }
        return Max;
    }

    /// <summary>The counts merged into <paramref name="bins"/> bins over the same range (bins must divide the count).</summary>
    public long[] Coarse(int bins)
    {
        if (_counts.Length % bins != 0)
        {
            throw new ArgumentException($"{bins} bins do not divide {_counts.Length}", nameof(bins));
        }
        int group = _counts.Length / bins;
        long[] coarse = new long[bins];
        for (int i = 0; i < _counts.Length; i++)
        {
            coarse[i / group] += _counts[i];
        }
        return coarse;
    }

    /// <summary>Widens the range to cover <paramref name="max"/>: the first range is max itself, later ones double.</summary>
    private void Grow(double max)
    {
        if (Range == 0)
        {
            // Only zeros so far: they stay in bin 0 of the new range.
            Range = max;
            return;
        }
        double factor = 1;
        while (Range * factor < max)
        {
            factor *= 2;
        }
        if (factor >= _counts.Length)
        {
            long all = _counts.Sum();
            Array.Clear(_counts);
            _counts[0] = all;
        }
        else
        {
            long[] merged = new long[_counts.Length];
            int group = (int)factor;
            for (int i = 0; i < _counts.Length; i++)
            {
                merged[i / group] += _counts[i];
            }
            _counts = merged;
        }
        Range *= factor;
    }
}
