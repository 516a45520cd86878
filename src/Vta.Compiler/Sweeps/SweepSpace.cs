using System.Globalization;
using Vta.Hardware.Config;

namespace Vta.Compiler.Sweeps;

/// <summary>One varied key and its values, in the order given.</summary>
public sealed record SweepAxis(string Key, IReadOnlyList<string> Values)
{
    /// <summary>The timing model's keys beside TVM's: AXI data width in bits and clock in MHz (TimingParameters).</summary>
    public static IReadOnlyList<string> TimingKeys { get; } = ["AXI_WIDTH", "CLOCK_MHZ"];

    public static IReadOnlyList<string> KnownKeys { get; } = [.. VtaConfigLoader.Keys, .. TimingKeys];

    /// <summary>
    /// Parses KEY=v1,v2,… where each item is a value or an inclusive integer range a..b (LOG_BLOCK=3..5,
    /// TARGET=pynq,ultra96). Throws <see cref="FormatException"/> naming what is wrong.
    /// </summary>
    public static SweepAxis Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            throw new FormatException($"--vary '{text}': expected KEY=v1,v2,… or KEY=a..b");
        }

        string key = text[..eq].Trim().ToUpperInvariant();
        if (!KnownKeys.Contains(key))
        {
            throw new FormatException($"--vary '{text}': unknown key '{key}' (known: {string.Join(", ", KnownKeys)})");
        }

        var values = new List<string>();
        foreach (string raw in text[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            int dots = raw.IndexOf("..", StringComparison.Ordinal);
            if (dots < 0)
            {
                values.Add(raw.Length > 0 ? raw : throw new FormatException($"--vary '{text}': empty value"));
                continue;
            }

            if (!int.TryParse(raw[..dots], NumberStyles.Integer, CultureInfo.InvariantCulture, out int lo)
                || !int.TryParse(raw[(dots + 2)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int hi) || hi < lo || hi - lo > 4096)
            {
                throw new FormatException($"--vary '{text}': '{raw}' is not an integer range a..b with a <= b");
            }

            for (int v = lo; v <= hi; v++)
            {
                values.Add(v.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            throw new FormatException($"--vary '{text}': a value is listed twice");
        }

        return new SweepAxis(key, values);
    }

    public override string ToString() => $"{Key}={string.Join(",", Values)}";
}

/// <summary>A point of the grid: its index (row-major over the axes, last axis fastest) and one value per axis.</summary>
public sealed record SweepPoint(long Index, IReadOnlyList<KeyValuePair<string, string>> Values)
{
    /// <summary>
    /// The configuration and timing parameters at this point. An impossible point throws <see cref="VtaConfigException"/>
    /// naming the key (TVM's keys) or <see cref="ArgumentException"/> (the timing model's).
    /// </summary>
    public (VtaConfig Config, Vta.Sim.Timing.TimingParameters Timing) Resolve(VtaConfig baseConfig)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        var tvm = Values.Where(v => !SweepAxis.TimingKeys.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value);
        var config = tvm.Count == 0 ? baseConfig : baseConfig.With(tvm);
        var timing = Vta.Sim.Timing.TimingParameters.For(config);
        foreach (var (key, value) in Values.Where(v => SweepAxis.TimingKeys.Contains(v.Key)))
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !(x > 0))
            {
                throw new VtaConfigException($"'{value}' is not a positive number", key);
            }

            if (key == "AXI_WIDTH" && (x % 8 != 0 || !int.IsPow2((int)(x / 8)) || x > 4096))
            {
                throw new VtaConfigException($"{value} bits is not a power-of-two number of bytes up to 4096 bits", key);
            }

            timing = key == "AXI_WIDTH" ? timing with { BusBytes = (int)(x / 8) } : timing with { ClockMHz = x };
        }

        return (config, timing);
    }
}

/// <summary>The grid of a sweep: its axes, and which of its points a run evaluates (all, or a seeded sample).</summary>
public sealed class SweepSpace
{
    public SweepSpace(IReadOnlyList<SweepAxis> axes, long? samples = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var dup = axes.GroupBy(a => a.Key).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
        {
            throw new FormatException($"--vary: {dup.Key} is varied twice");
        }

        if (samples is <= 0)
        {
            throw new FormatException("--samples must be positive");
        }

        Axes = axes;
        Samples = samples;
        Seed = seed;
        long size = 1;
        foreach (var a in axes)
        {
            size = a.Values.Count == 0 || size > long.MaxValue / a.Values.Count
                ? throw new FormatException("the grid has more than 2^63 points: vary fewer keys or fewer values")
                : size * a.Values.Count;
        }

        GridSize = size;
    }

    public IReadOnlyList<SweepAxis> Axes { get; }

    public long? Samples { get; }

    public int Seed { get; }

    public long GridSize { get; }

    /// <summary>The grid point at <paramref name="index"/>.</summary>
    public SweepPoint Point(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, GridSize);
        var values = new KeyValuePair<string, string>[Axes.Count];
        long rest = index;
        for (int i = Axes.Count - 1; i >= 0; i--)
        {
            int n = Axes[i].Values.Count;
            values[i] = new(Axes[i].Key, Axes[i].Values[(int)(rest % n)]);
            rest /= n;
        }

        return new SweepPoint(index, values);
    }

    /// <summary>
    /// The indices this sweep evaluates, ascending: every grid point, or <see cref="Samples"/> distinct ones drawn with
    /// <see cref="Seed"/> (System.Random's seeded generator, the same sequence on every machine).
    /// </summary>
    public IReadOnlyList<long> Indices()
    {
        if (Samples is not { } n || n >= GridSize)
        {
            return GridSize > 10_000_000
                ? throw new FormatException($"the grid has {GridSize:N0} points: sample it with --samples N")
                : [.. Enumerable.Range(0, (int)GridSize).Select(i => (long)i)];
        }

        if (n > 10_000_000)
        {
            throw new FormatException("--samples is limited to 10,000,000 points");
        }

        var random = new Random(Seed);
        var chosen = new HashSet<long>();
        while (chosen.Count < n)
        {
            chosen.Add(random.NextInt64(GridSize));
        }

        return [.. chosen.Order()];
    }

    /// <summary>The indices of shard <paramref name="shard"/> of <paramref name="shards"/>: index mod shards == shard.</summary>
    public IReadOnlyList<long> Indices(int shard, int shards)
    {
        if (shards < 1 || shard < 0 || shard >= shards)
        {
            throw new FormatException($"--shard {shard}/{shards}: expected I/N with 0 <= I < N");
        }

        return [.. Indices().Where(i => i % shards == shard)];
    }
}
