using System.Diagnostics;
using System.Text;
using Vta.Hardware.Config;

namespace Vta.Compiler.Sweeps;

/// <summary>Where a run is: points finished (of this run's share), how many of them failed, and the time so far.</summary>
public sealed record SweepProgress(int Done, int Failed, int Total, int Skipped, TimeSpan Elapsed)
{
    /// <summary>Time left at the rate so far; null before the first point.</summary>
    public TimeSpan? Remaining => Done == 0 ? null : Elapsed / Done * (Total - Done);
}

/// <summary>What a run did: every row now in the output (skipped ones included), and how many it evaluated.</summary>
public sealed record SweepRunResult(IReadOnlyList<SweepRow> Rows, int Evaluated, int Skipped);

/// <summary>
/// Evaluates a sweep's points in parallel, appending each finished row to the output CSV as one flushed line, so a run
/// can be interrupted at any moment and resumed: points already in the file are skipped, a partial last line is cut.
/// When every point of the run is done the file is rewritten sorted by index, so the final file does not depend on the
/// order in which threads finished, on interruptions, or on sharding (after a merge).
/// </summary>
public sealed class SweepRunner(SweepDefinition definition)
{
    public SweepDefinition Definition { get; } = definition ?? throw new ArgumentNullException(nameof(definition));

    /// <summary>Points evaluated at once (each on its own TimingDevice).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public IReadOnlyList<string> Columns => SweepRow.Columns(Definition.VariedKeys);

    public SweepRunResult Run(string output, int shard = 0, int shards = 1, IProgress<SweepProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        var indices = Definition.Space.Indices(shard, shards);
        var rows = new List<SweepRow>();
        if (File.Exists(output) && new FileInfo(output).Length > 0)
        {
            var existing = SweepCsv.Read(output, repair: true);
            if (existing.Hash != Definition.Hash || !existing.Columns.SequenceEqual(Columns))
            {
                throw new InvalidDataException($"{output} holds another sweep (hash {existing.Hash}; this one is {Definition.Hash}): "
                    + "give another --output, or delete the file to start over");
            }

            rows.AddRange(existing.Rows);
        }
        else
        {
            File.WriteAllText(output, Definition.HeaderComment + "\n" + SweepCsv.Line(Columns), new UTF8Encoding(false));
        }

        var done = rows.Select(r => r.Index).ToHashSet();
        var todo = indices.Where(i => !done.Contains(i)).ToList();
        int skipped = indices.Count - todo.Count, finished = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        var gate = new object();
        progress?.Report(new SweepProgress(0, 0, todo.Count, skipped, TimeSpan.Zero));
        using (var stream = new FileStream(output, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism, CancellationToken = cancel };
            Parallel.ForEach(todo, options, index =>
            {
                var row = Evaluate(Definition.Space.Point(index));
                byte[] line = Encoding.UTF8.GetBytes(SweepCsv.Line(row.Fields()));
                lock (gate)
                {
                    // One write of the whole line, then flush: a kill leaves at most this line partial.
                    stream.Write(line);
                    stream.Flush();
                    rows.Add(row);
                    finished++;
                    failed += row.Ok ? 0 : 1;
                    progress?.Report(new SweepProgress(finished, failed, todo.Count, skipped, clock.Elapsed));
                }
            });
        }

        SweepCsv.Write(output, Definition.HeaderComment, Columns, rows);
        return new SweepRunResult([.. rows.OrderBy(r => r.Index)], todo.Count, skipped);
    }

    /// <summary>One point: its configuration (or why there is none), resources, and the target's measurement.</summary>
    public SweepRow Evaluate(SweepPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var values = point.Values.Select(v => v.Value).ToList();
        VtaConfig config;
        Vta.Sim.Timing.TimingParameters timing;
        try
        {
            (config, timing) = point.Resolve(Definition.BaseConfig);
            timing.Validate();
        }
        catch (Exception e) when (e is VtaConfigException or ArgumentException)
        {
            return new SweepRow(point.Index, "", values, OneLine(e.Message), 0, 0, 0, 0, new Vta.Sim.SimCounters(), null);
        }

        var resources = SweepResources.For(config, Definition.Device);
        string name = config.Model + TimingSuffix(point);
        var outcome = Definition.Target.Evaluate(config, timing);
        return outcome.Ok
            ? new SweepRow(point.Index, name, values, null, outcome.Cycles, outcome.Seconds, outcome.GemmUtilization, outcome.GemmInstructions, outcome.Counters, resources)
            : new SweepRow(point.Index, name, values, OneLine(outcome.Failure!), 0, 0, 0, 0, new Vta.Sim.SimCounters(), resources);
    }

    /// <summary>TVM's name has no place for the timing keys: append them so two points never share a name.</summary>
    private static string TimingSuffix(SweepPoint point) => string.Concat(point.Values
        .Where(v => SweepAxis.TimingKeys.Contains(v.Key))
        .Select(v => v.Key == "AXI_WIDTH" ? $"_axi{v.Value}" : $"_{v.Value}mhz"));

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
