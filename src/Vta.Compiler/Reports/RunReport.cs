using System.Globalization;
using Vta.Compiler.Graphs;
using Vta.Compiler.Programs;
using Vta.Compiler.Models;
using Vta.Hardware.Config;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Compiler.Reports;

/// <summary>
/// Everything a run report shows, gathered from one <see cref="ModelRunResult"/>: the model, the hardware configuration,
/// the device, one row per step and the totals. <see cref="Timing"/> is null when the device does not model time (the
/// behavioral simulator); then the report has counters only. <see cref="RunReportWriter"/> writes it as HTML or Markdown.
/// </summary>
public sealed record RunReport(
    string ModelName,
    string ConfigName,
    IReadOnlyList<KeyValuePair<string, string>> ConfigParameters,
    string Device,
    double ClockMHz,
    int BusBytesPerCycle,
    int PeakMacsPerCycle,
    IReadOnlyList<LayerRow> Layers,
    SimCounters Counters,
    TimingReport? Timing,
    double HostSeconds)
{
    public bool HasTiming => Timing is not null;

    public IEnumerable<LayerRow> VtaLayers => Layers.Where(l => l.Target == ExecutionTarget.Vta);

    public long Macs => Layers.Sum(l => l.Macs);

    /// <summary>Bytes read from and written to DRAM by VTA (the five byte counters).</summary>
    public long DramBytes => Counters.DramBytes;

    /// <summary>Arithmetic intensity (MACs per DRAM byte) where the DRAM and GEMM roofs meet.</summary>
    public double RidgeIntensity => (double)PeakMacsPerCycle / BusBytesPerCycle;

    /// <summary>What a layer of <paramref name="intensity"/> MACs per byte can reach at best, in MACs per cycle.</summary>
    public double AttainableMacsPerCycle(double intensity) => Math.Min(PeakMacsPerCycle, intensity * BusBytesPerCycle);

    /// <summary>
    /// Builds the report of <paramref name="run"/>, a run of <paramref name="model"/> on the device called
    /// <paramref name="deviceName"/>. <paramref name="timing"/> gives the clock and the DRAM bus width of the roofline;
    /// without it they are the configuration's target's (TimingParameters.For), as the timing device uses by default.
    /// </summary>
    public static RunReport Build(CompiledModel model, ModelRunResult run, string deviceName, TimingParameters? timing = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Build(model.Graph.Name, model.Program, run, deviceName, timing);
    }

    /// <summary>As above, for a run of <paramref name="program"/> (a compiled model's or a loaded package's).</summary>
    public static RunReport Build(string modelName, ModelProgram program, ModelRunResult run, string deviceName, TimingParameters? timing = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceName);
        VtaConfig config = program.Config;
        TimingParameters parameters = timing ?? TimingParameters.For(config);

        // VTA records are matched to their compiled layers by name, so the report does not depend on how steps are numbered.
        var vtaLayers = program.Steps.OfType<VtaProgramStep>().ToDictionary(l => l.Name, l => l.Summary);
        var rows = new List<LayerRow>(run.Layers.Count);
        for (int i = 0; i < run.Layers.Count; i++)
        {
            LayerRecord record = run.Layers[i];
            VtaLayerSummary? layer = null;
            if (record.Target == ExecutionTarget.Vta && !vtaLayers.TryGetValue(record.Name, out layer))
            {
                throw new ArgumentException($"layer record {i} '{record.Name}' ran on VTA but model '{modelName}' has no VTA layer of that name: not a run of this model", nameof(run));
            }

            rows.Add(new LayerRow(i + 1, record.Name, record.Kind, record.Target, record.Counters, layer?.Macs ?? 0,
                layer?.Workload, record.Seconds, record.Timing));
        }

        // The run's timing is the sum of the VTA steps' deltas; a device without timing leaves them all null.
        TimingReport? total = null;
        foreach (TimingReport t in rows.Select(r => r.Timing).OfType<TimingReport>())
        {
            total = (total ?? TimingReport.Empty(t.ClockMHz)).Add(t);
        }

        double clock = total?.ClockMHz ?? parameters.ClockMHz;
        return new RunReport(modelName, config.Name, Parameters(config, clock, parameters.BusBytes), deviceName, clock,
            parameters.BusBytes, config.Batch * config.BlockIn * config.BlockOut, rows, run.Counters.Clone(), total, run.Seconds);
    }

    private static List<KeyValuePair<string, string>> Parameters(VtaConfig c, double clockMHz, int busBytes)
    {
        static string N(double v) => v.ToString("#,0.###", CultureInfo.InvariantCulture);
        return
        [
            new("target", c.Target),
            new("BATCH × BLOCK_IN × BLOCK_OUT (GEMM array)", $"{c.Batch} × {c.BlockIn} × {c.BlockOut}"),
            new("input / weight / accumulator width", $"{c.InpWidth} / {c.WgtWidth} / {c.AccWidth} bits"),
            new("on-chip buffers uop / inp / wgt / acc", $"{c.UopBuffBytes / 1024} / {c.InpBuffBytes / 1024} / {c.WgtBuffBytes / 1024} / {c.AccBuffBytes / 1024} KiB"),
            new("clock", $"{N(clockMHz)} MHz"),
            new("DRAM bus (AXI)", $"{busBytes * 8} bits = {busBytes} bytes/cycle = {N(busBytes * clockMHz / 1e3)} GB/s"),
            new("GEMM peak", $"{N(c.Batch * c.BlockIn * c.BlockOut)} MACs/cycle = {N(c.Batch * c.BlockIn * c.BlockOut * clockMHz / 1e3)} GMAC/s"),
        ];
    }
}

/// <summary>
/// One step of the run as the report shows it. <see cref="Macs"/> is the multiply-accumulates VTA's GEMM array does for
/// the layer (channels padded to whole blocks), 0 for steps on the CPU; <see cref="Timing"/> is the layer's share of the
/// device's timing report, null on the CPU and on devices without timing.
/// </summary>
public sealed record LayerRow(
    int Index,
    string Name,
    string Kind,
    ExecutionTarget Target,
    SimCounters Counters,
    long Macs,
    string? Workload,
    double HostSeconds,
    TimingReport? Timing)
{
    public long DramBytes => Counters.DramBytes;

    public long? Cycles => Timing?.Cycles;

    public double? GemmUtilization => Timing?.GemmUtilization;

    /// <summary>DRAM bytes per MAC: how much memory traffic each multiply-accumulate costs (lower is better).</summary>
    public double? BytesPerMac => Macs == 0 ? null : (double)DramBytes / Macs;

    /// <summary>MACs per DRAM byte: the roofline's arithmetic intensity.</summary>
    public double? Intensity => Macs == 0 || DramBytes == 0 ? null : (double)Macs / DramBytes;

    /// <summary>MACs per cycle achieved, when the device modelled time.</summary>
    public double? MacsPerCycle => Timing is { Cycles: > 0 } t && Macs > 0 ? (double)Macs / t.Cycles : null;
}
