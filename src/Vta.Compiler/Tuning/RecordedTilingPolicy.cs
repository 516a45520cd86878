using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Tiling;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tuning;

/// <summary>
/// Applies tuning records: a layer whose workload key has a record gets the recorded tiling, any other layer the
/// fallback's choice (the default policy unless given). Records of another configuration are refused, naming both; a
/// record whose tiling does not divide or fit its layer (a hand-edited file) is refused naming the file and key.
/// Safe to share between threads.
/// </summary>
public sealed class RecordedTilingPolicy : ITilingPolicy
{
    private readonly ITilingPolicy _fallback;
    private int _hits;
    private int _misses;

    public RecordedTilingPolicy(TuningRecords records, ITilingPolicy? fallback = null)
    {
        Records = records ?? throw new ArgumentNullException(nameof(records));
        _fallback = fallback ?? DefaultTilingPolicy.Instance;
    }

    public TuningRecords Records { get; }

    /// <summary>Layers that took a recorded tiling so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Layers that had no record and took the fallback's choice.</summary>
    public int Misses => Volatile.Read(ref _misses);

    public ConvTiling Choose(ConvProblem problem, Epilogue epilogue, VtaConfig config)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(epilogue);
        Records.EnsureFor(config);
        string key = WorkloadKey.Of(problem, epilogue);
        if (Records.Find(key) is not { } record)
        {
            Interlocked.Increment(ref _misses);
            return _fallback.Choose(problem, epilogue, config);
        }

        var t = record.Tiling;
        var p = problem;
        bool divides = p.BatchBlocks % t.BatchBlocks == 0 && p.Groups % t.Groups == 0 && p.OutBlocks % t.OutBlocks == 0
            && p.InBlocks % t.InBlocks == 0 && t.Rows <= p.Rows.Grid && t.Cols <= p.Cols.Grid;
        var schedule = new ConvSchedule(problem, t, epilogue, config);
        if (!divides || !schedule.Fits)
        {
            string why = divides ? string.Join("; ", schedule.Shortfalls()) : "its block counts do not divide the layer's or its tile exceeds the output grid";
            throw new InvalidDataException($"{Records.File ?? "tuning records"}: the record for '{key}' ({problem.Layer}) has tiling {t}, which cannot be used: {why}");
        }

        Interlocked.Increment(ref _hits);
        return t;
    }
}
