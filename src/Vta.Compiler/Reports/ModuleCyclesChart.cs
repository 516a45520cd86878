using ScottPlot;
using Vta.Sim.Timing;

namespace Vta.Compiler.Reports;

/// <summary>
/// Where each VTA layer's cycles went: one panel per module (fetch, load, compute, store), one stacked bar per layer,
/// in percent of the layer's cycles: busy, waiting on a dependency token, waiting on a full queue, idle.
/// </summary>
public static class ModuleCyclesChart
{
    public const int Width = 1100;
    public const int PanelHeight = 230;
    private const int LegendHeight = 80;

    /// <summary>The four states of a module and their colors, in stacking order (bottom first).</summary>
    public static readonly IReadOnlyList<(string Name, Color Color, Func<UnitTiming, long> Cycles)> States =
    [
        ("busy", Color.FromHex("#2e7d32"), u => u.Busy),
        ("waiting on a dependency token", Color.FromHex("#f9a825"), u => u.StalledOnToken),
        ("waiting on a full queue", Color.FromHex("#c62828"), u => u.StalledOnQueueFull),
        ("idle", Color.FromHex("#b0bec5"), u => u.Idle),
    ];

    public static byte[] Png(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var layers = report.VtaLayers.Where(l => l.Timing is { Cycles: > 0 }).ToList();
        if (layers.Count == 0)
        {
            throw new InvalidOperationException($"report of '{report.ModelName}': no VTA layer has timing to chart");
        }

        TimingUnit[] units = Enum.GetValues<TimingUnit>();
        var multiplot = new Multiplot();
        multiplot.AddPlots(units.Length);
        // Equal data areas: fixed padding in every panel, and the last panel taller by the room its axis label and legend take.
        var rows = new ScottPlot.MultiplotLayouts.DraggableRows();
        rows.SetHeights([.. units.Select((_, i) => (float)(i == units.Length - 1 ? PanelHeight + LegendHeight : PanelHeight))]);
        multiplot.Layout = rows;
        for (int p = 0; p < units.Length; p++)
        {
            Plot plot = multiplot.GetPlot(p);
            plot.Font.Set("DejaVu Sans");
            plot.Layout.Fixed(new PixelPadding(70, 20, p == units.Length - 1 ? 30 + LegendHeight : 30, 40));
            var bars = new List<Bar>();
            // Bars stand side by side (CPU steps in between take no place); ticks carry the layer's # in the table.
            foreach (var (layer, position) in layers.Select((l, i) => (l, (double)i)))
            {
                UnitTiming u = layer.Timing!.Unit(units[p]);
                double bottom = 0;
                foreach (var (_, color, cycles) in States)
                {
                    double share = 100.0 * cycles(u) / layer.Timing.Cycles;
                    bars.Add(new Bar { Position = position, ValueBase = bottom, Value = bottom + share, FillColor = color, LineWidth = 0, Size = 0.8 });
                    bottom += share;
                }
            }

            plot.Add.Bars(bars);
            plot.Title($"{units[p].ToString().ToLowerInvariant()} module", size: 14);
            plot.YLabel("% of the layer's cycles", size: 12);
            plot.Axes.SetLimitsY(0, 100);
            plot.Axes.SetLimitsX(-0.7, layers.Count - 0.3);
            plot.Axes.Bottom.TickGenerator = LayerTicks(layers);
            if (p == units.Length - 1)
            {
                plot.XLabel("VTA layer (# in the per-layer table)", size: 12);
                foreach (var (name, color, _) in States)
                {
                    plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = color });
                }

                plot.Legend.Orientation = Orientation.Horizontal;
                plot.ShowLegend(Edge.Bottom);
            }
        }

        return multiplot.Render(Width, PanelHeight * units.Length + LegendHeight).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>One tick per bar labelled with the layer's #, thinned to every k-th when there are too many to read.</summary>
    private static ScottPlot.TickGenerators.NumericManual LayerTicks(IReadOnlyList<LayerRow> layers)
    {
        int every = Math.Max(1, (int)Math.Ceiling(layers.Count / 40.0));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < layers.Count; i += every)
        {
            ticks.AddMajor(i, layers[i].Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return ticks;
    }
}
