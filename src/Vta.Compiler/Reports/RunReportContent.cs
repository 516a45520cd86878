using System.Globalization;
using Vta.Compiler.Graphs;
using Vta.Sim.Timing;

namespace Vta.Compiler.Reports;

/// <summary>
/// What a run report says, in reading order, for a reader who has never seen VTA: an introduction, the configuration,
/// the totals, the per-layer table and the two figures, each with a sentence saying what it shows. Both writers draw
/// these blocks, so the HTML and the Markdown report say the same thing.
/// </summary>
public static class RunReportContent
{
    /// <summary>The seven counters under TVM's names (vta.simulator.profiler_status), with their unit and meaning.</summary>
    public static readonly IReadOnlyList<(string Name, string Unit, string Meaning)> Counters =
    [
        ("inp_load_nbytes", "bytes", "input activations loaded from DRAM into the on-chip input buffer"),
        ("wgt_load_nbytes", "bytes", "weights loaded from DRAM into the weight buffer"),
        ("acc_load_nbytes", "bytes", "32-bit values loaded into the accumulator buffer (biases, per-channel shifts)"),
        ("uop_load_nbytes", "bytes", "micro-ops loaded: the loop bodies the GEMM and ALU instructions repeat"),
        ("out_store_nbytes", "bytes", "results stored from the output buffer back to DRAM"),
        ("gemm_counter", "micro-ops", "GEMM micro-ops executed (reset ones excluded); each does BATCH × BLOCK_IN × BLOCK_OUT MACs"),
        ("alu_counter", "micro-ops", "ALU micro-ops executed: one vector operation (add, shift, min, max) over a BATCH × BLOCK_OUT accumulator tile"),
    ];

    /// <summary>The per-layer table's column headers, in order.</summary>
    public static readonly IReadOnlyList<string> LayerHeaders =
    [
        "#", "layer", "kind", "ran on", .. Counters.Select(c => $"{c.Name} [{(c.Unit == "bytes" ? "B" : "uops")}]"),
        "MACs", "cycles", "GEMM util. [%]", "DRAM bytes/MAC", "host time [ms]",
    ];

    public static IReadOnlyList<ReportBlock> Blocks(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var blocks = new List<ReportBlock>
        {
            new ReportHeading(1, $"VTA run report: {report.ModelName} on {report.ConfigName}"),
            new ReportParagraph(
                "VTA (the Versatile Tensor Accelerator of Apache TVM) is a small deep-learning accelerator: a GEMM array that does " +
                "BATCH × BLOCK_IN × BLOCK_OUT 8-bit multiply-accumulates (MACs) per clock cycle, a vector ALU for the rest, on-chip " +
                "buffers, and four modules that work in parallel — fetch (reads instructions), load (copies data from DRAM), compute " +
                "(GEMM and ALU) and store (copies results back) — and wait for each other through dependency tokens. Layers VTA cannot " +
                "run, and the packing of activations into its blocked layout, run on the host CPU."),
            new ReportParagraph(
                $"This report shows one run of the model '{report.ModelName}' on the device '{report.Device}': every step with where it ran, " +
                "the bytes each VTA layer moved to and from DRAM and the operations it did (TVM's seven simulator counters), " +
                (report.HasTiming
                    ? $"and the clock cycles the timing model gives it at {N(report.ClockMHz)} MHz, with where those cycles went in each module."
                    : "and the MACs and DRAM bytes that bound its speed.")),
        };
        if (!report.HasTiming)
        {
            blocks.Add(new ReportParagraph(
                $"The device '{report.Device}' does not model time (it is a behavioral simulator): this report has counters only. Cycles, " +
                "GEMM utilization and the per-module chart are missing, and the roofline places each layer on its bound instead of at a " +
                "measured point. Run on the timing device for those figures.", Note: true));
        }

        blocks.Add(new ReportParagraph("Host time is the wall-clock time this computer spent simulating or computing a step, not VTA's time; VTA's time is cycles ÷ clock."));
        blocks.Add(new ReportHeading(2, "Hardware and device"));
        blocks.Add(new ReportTableBlock(ConfigTable(report)));
        blocks.Add(new ReportHeading(2, "Totals"));
        blocks.Add(new ReportTableBlock(TotalsTable(report)));
        blocks.Add(new ReportTableBlock(TrafficTable(report)));
        blocks.Add(new ReportTableBlock(CountersTable(report)));
        if (report.Timing is { } timing)
        {
            blocks.Add(new ReportTableBlock(ModulesTable(timing)));
        }

        blocks.Add(new ReportHeading(2, "Per layer"));
        blocks.Add(new ReportTableBlock(LayerTable(report)));
        blocks.Add(new ReportHeading(2, "Figures"));
        if (report.HasTiming && report.VtaLayers.Any(l => l.Timing is { Cycles: > 0 }))
        {
            blocks.Add(new ReportFigureBlock(ReportFigure.Draw("Where each VTA layer's cycles went", "cycles",
                "stacked bars per VTA layer: share of cycles busy, waiting on a token, waiting on a full queue and idle, one panel per module",
                "For each VTA layer (numbered as in the per-layer table), the share of the layer's cycles that each of VTA's four modules " +
                "spent busy (working on an instruction), waiting for a dependency token from another module, waiting to push into a full " +
                "queue, or idle (nothing to do); a layer whose compute module is mostly busy keeps the GEMM array fed, one whose load " +
                "module is busy while compute waits is limited by DRAM.",
                () => ModuleCyclesChart.Png(report))));
        }
        else
        {
            blocks.Add(new ReportParagraph("No chart of where the cycles went: the run has no timing, or no layer ran on VTA.", Note: true));
        }

        blocks.Add(new ReportFigureBlock(ReportFigure.Draw("Roofline", "roofline",
            "roofline: MACs per cycle against MACs per DRAM byte, log-log, with the DRAM and GEMM roofs and one point per VTA layer",
            RooflineCaption(report), () => RooflineChart.Png(report))));
        return blocks;
    }

    private static string RooflineCaption(RunReport r) =>
        $"Each point is a VTA layer (numbered as in the per-layer table) at its arithmetic intensity (MACs per byte of DRAM traffic) and " +
        (r.HasTiming ? "the MACs per cycle it achieved" : "the MACs per cycle it could reach at best (hollow: no timing, so no measured point)") +
        $"; the black line is the most any layer can reach: the DRAM bus ({N(r.BusBytesPerCycle)} bytes/cycle) times the intensity left of " +
        $"the ridge at {N(r.RidgeIntensity)} MACs/byte, the GEMM peak ({N(r.PeakMacsPerCycle)} MACs/cycle) right of it. " +
        "A point far below the line loses its time to something other than bandwidth or the GEMM array (dependencies, fixed costs, ALU work). Both axes are logarithmic.";

    private static ReportTable ConfigTable(RunReport r) => new ReportTable(
        "",
        $"The VTA configuration the model was compiled for ({r.ConfigName}) and the device it ran on.",
        ["parameter", "value"], [true, true],
        [["configuration", r.ConfigName], ["device", r.Device], .. r.ConfigParameters.Select(p => (IReadOnlyList<string>)[p.Key, p.Value])]).Validate();

    private static ReportTable TotalsTable(RunReport r)
    {
        TimingReport? t = r.Timing;
        int vta = r.VtaLayers.Count(), cpu = r.Layers.Count - vta;
        long dram = r.DramBytes;
        string notModelled = "— (not modelled)";
        var rows = new List<IReadOnlyList<string>>
        {
            Row("steps", $"{r.Layers.Count} ({vta} on VTA, {cpu} on the CPU)", "steps", "layers and layout conversions, run in order"),
            Row("cycles", t is null ? notModelled : N(t.Cycles), "cycles", "VTA's clock cycles, summed over its layers"),
            Row("VTA time", t is null ? notModelled : N(t.Seconds * 1e3, "#,0.###"), "ms", $"cycles ÷ {N(r.ClockMHz)} MHz clock"),
            Row("GEMM utilization", t is null ? notModelled : Pct(t.GemmUtilization), "%", "share of the cycles in which the GEMM array did useful MACs"),
            Row("MACs", N(r.Macs), "MACs", "multiply-accumulates on VTA (channels padded to whole blocks)"),
            Row("achieved throughput", t is null || t.Cycles == 0 ? notModelled : N((double)r.Macs / t.Cycles, "#,0.#"), "MACs/cycle",
                $"out of a peak of {N(r.PeakMacsPerCycle)}"),
            Row("DRAM traffic", N(dram), "bytes", $"read and written by VTA ({Mib(dram)})"),
            Row("DRAM bytes per MAC", r.Macs == 0 ? "—" : N((double)dram / r.Macs, "0.####"), "bytes/MAC", "memory traffic per multiply-accumulate (lower is better)"),
            Row("host time", N(r.HostSeconds, "0.###"), "s", $"whole run: VTA steps {N(r.VtaLayers.Sum(l => l.HostSeconds), "0.###")} s (simulation), " +
                $"CPU steps {N(r.Layers.Where(l => l.Target == ExecutionTarget.Cpu).Sum(l => l.HostSeconds), "0.###")} s"),
        };
        return new ReportTable("", "The whole run; the tables after it break the bytes and the cycles down.", ["figure", "value", "unit", "meaning"], [true, false, true, true], rows).Validate();
    }

    private static ReportTable TrafficTable(RunReport r)
    {
        long total = r.DramBytes;
        var c = r.Counters;
        (string Kind, long Bytes)[] kinds =
        [
            ("inputs (load)", c.InpLoadNbytes), ("weights (load)", c.WgtLoadNbytes), ("accumulators (load)", c.AccLoadNbytes),
            ("micro-ops (load)", c.UopLoadNbytes), ("outputs (store)", c.OutStoreNbytes),
        ];
        var rows = kinds.Select(k => Row(k.Kind, N(k.Bytes), total == 0 ? "—" : Pct((double)k.Bytes / total))).ToList();
        rows.Add(Row("total", N(total), total == 0 ? "—" : Pct(1)));
        return new ReportTable("DRAM traffic by kind", "Bytes VTA moved between DRAM and its on-chip buffers, by what they hold.",
            ["kind", "bytes", "share [%]"], [true, false, false], rows).Validate();
    }

    private static ReportTable CountersTable(RunReport r)
    {
        var values = r.Counters.ToList();
        var rows = Counters.Select((c, i) => Row(c.Name, N(values[i].Value), c.Unit, c.Meaning)).ToList();
        return new ReportTable("TVM's seven counters", "The simulator statistics TVM's VTA simulator reports, under its names, summed over the run.",
            ["counter", "value", "unit", "meaning"], [true, false, true, true], rows).Validate();
    }

    private static ReportTable ModulesTable(TimingReport t)
    {
        var rows = t.Units.Select(u => Row(u.Name, N(u.Busy), N(u.StalledOnToken), N(u.StalledOnQueueFull), N(u.Idle),
            t.Cycles == 0 ? "—" : Pct((double)u.Busy / t.Cycles))).ToList();
        return new ReportTable("Where the cycles went, by module",
            "Each of VTA's four modules is, in every cycle, busy, waiting for a dependency token, waiting to push into a full queue, or idle; the four add up to the cycles.",
            ["module", "busy [cycles]", "waiting on a token [cycles]", "waiting on a full queue [cycles]", "idle [cycles]", "busy [%]"],
            [true, false, false, false, false, false], rows).Validate();
    }

    private static ReportTable LayerTable(RunReport r)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (LayerRow l in r.Layers)
        {
            bool onVta = l.Target == ExecutionTarget.Vta;
            string noTime = onVta ? "— (no timing)" : "—";
            rows.Add(
            [
                N(l.Index), l.Name, l.Kind, onVta ? "VTA" : "CPU", .. l.Counters.ToList().Select(kv => N(kv.Value)),
                onVta ? N(l.Macs) : "—",
                l.Cycles is { } cycles ? N(cycles) : noTime,
                l.GemmUtilization is { } u ? N(u * 100, "0.0") : noTime,
                l.BytesPerMac is { } b ? N(b, "0.####") : "—",
                N(l.HostSeconds * 1e3, "0.###"),
            ]);
        }

        return new ReportTable("",
            "Every step in the order it ran: VTA layers, layers on the CPU, and the packing of activations into VTA's blocked layout (pack) and back (unpack). " +
            "Counters are the bytes and micro-ops the step added (zero on the CPU); cycles and GEMM utilization are the step's share of VTA's time.",
            LayerHeaders, [false, true, true, true, .. Enumerable.Repeat(false, LayerHeaders.Count - 4)], rows).Validate();
    }

    private static IReadOnlyList<string> Row(params string[] cells) => cells;

    private static string N(double v, string format = "#,0.##") => v.ToString(format, CultureInfo.InvariantCulture);

    private static string N(long v) => v.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Pct(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.## 'MiB'", CultureInfo.InvariantCulture);
}
