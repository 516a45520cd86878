using System.Globalization;
using ScottPlot;

namespace Vta.Compiler.Reports;

/// <summary>
/// The roofline of the configuration, both axes logarithmic: attainable MACs per cycle against arithmetic intensity
/// (MACs per DRAM byte), bounded by the DRAM bus (bytes per cycle × intensity) and the GEMM peak
/// (BATCH × BLOCK_IN × BLOCK_OUT); each VTA layer is a point at its intensity and achieved MACs per cycle, or, without
/// timing, a hollow point on its bound.
/// </summary>
public static class RooflineChart
{
    public const int Width = 1000;
    public const int Height = 640;

    public static byte[] Png(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var layers = report.VtaLayers.Where(l => l.Intensity is not null).ToList();
        double ridge = report.RidgeIntensity, peak = report.PeakMacsPerCycle;
        var points = layers.Select(l => (l.Index, X: l.Intensity!.Value, Y: l.MacsPerCycle ?? report.AttainableMacsPerCycle(l.Intensity!.Value))).ToList();

        double xMin = Math.Min(ridge / 16, points.Select(p => p.X).DefaultIfEmpty(ridge).Min() / 2);
        double xMax = Math.Max(ridge * 8, points.Select(p => p.X).DefaultIfEmpty(ridge).Max() * 2);
        double yMin = Math.Min(report.AttainableMacsPerCycle(xMin), points.Select(p => p.Y).DefaultIfEmpty(peak).Min()) / 2;
        double yMax = peak * 2.5;

        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var roof = plot.Add.Scatter(new[] { L(xMin), L(ridge), L(xMax) }, new[] { L(report.AttainableMacsPerCycle(xMin)), L(peak), L(peak) });
        roof.Color = Colors.Black;
        roof.LineWidth = 2.5f;
        roof.MarkerSize = 0;
        roof.LegendText = "roof: the most a layer can reach";

        string bus = Num(report.BusBytesPerCycle), peakText = Num(peak);
        AddText(plot, $"GEMM peak {peakText} MACs/cycle", L(xMax), L(peak), Alignment.LowerRight, -4);
        // The bandwidth label sits along the slanted roof, halfway up it.
        double xMid = Math.Sqrt(xMin * ridge);
        AddText(plot, $"DRAM bus {bus} bytes/cycle × intensity", L(xMid), L(report.AttainableMacsPerCycle(xMid)), Alignment.LowerRight, -4);
        var ridgeLine = plot.Add.VerticalLine(L(ridge), 1, Colors.Gray, LinePattern.Dotted);
        ridgeLine.LegendText = $"ridge: {Num(ridge)} MACs/byte";

        if (points.Count > 0)
        {
            var dots = plot.Add.ScatterPoints(points.Select(p => L(p.X)).ToArray(), points.Select(p => L(p.Y)).ToArray());
            dots.MarkerSize = 9;
            dots.Color = Colors.SteelBlue;
            if (report.HasTiming)
            {
                dots.MarkerShape = MarkerShape.FilledCircle;
                dots.LegendText = "VTA layer (achieved)";
            }
            else
            {
                dots.MarkerShape = MarkerShape.OpenCircle;
                dots.LegendText = "VTA layer (bound only: no timing)";
            }

            // Layers of the same shape sit on one point: one label lists them all, placed beside its point where it covers
            // no other label or point (approximate pixels: the axis limits are known before rendering).
            double Px(double x) => (L(x) - L(xMin)) / (L(xMax) - L(xMin)) * (Width - 100);
            double Py(double y) => (L(yMax) - L(y)) / (L(yMax) - L(yMin)) * (Height - 100);
            var taken = points.Select(p => (X: Px(p.X) - 5, Y: Py(p.Y) - 5, W: 10.0, H: 10.0)).ToList();
            taken.Add((Px(xMax) - 175, Py(peak) - 20, 175, 16)); // the GEMM peak's label
            foreach (var group in points.GroupBy(p => (Math.Round(L(p.X), 2), Math.Round(L(p.Y), 2))))
            {
                var (_, x, y) = group.First();
                string text = string.Join(", ", group.Select(p => p.Index.ToString(CultureInfo.InvariantCulture)));
                double w = 7 * text.Length, h = 12;
                (double Dx, double Dy)[] candidates = [(7, -7), (7, -20), (7, 6), (-7 - w, -7), (-7 - w, -20), (-7 - w, 6)];
                var (dx, dy) = candidates.FirstOrDefault(c => !taken.Any(r => Overlaps(r, (Px(x) + c.Dx, Py(y) + c.Dy, w, h))), candidates[0]);
                taken.Add((Px(x) + dx, Py(y) + dy, w, h));
                var label = plot.Add.Text(text, L(x), L(y));
                label.LabelFontSize = 10;
                label.LabelFontColor = Colors.DarkSlateBlue;
                label.OffsetX = (float)dx;
                label.OffsetY = (float)dy;
            }
        }

        plot.Title($"Roofline of {report.ConfigName} at {Num(report.ClockMHz)} MHz", size: 16);
        plot.XLabel("arithmetic intensity (MACs per byte of DRAM traffic, log scale)");
        plot.YLabel("MACs per cycle (log scale)");
        LogAxis(plot.Axes.Bottom);
        LogAxis(plot.Axes.Left);
        plot.Axes.SetLimits(L(xMin), L(xMax), L(yMin), L(yMax));
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static double L(double v) => Math.Log10(v);

    private static bool Overlaps((double X, double Y, double W, double H) a, (double X, double Y, double W, double H) b) =>
        a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;

    private static string Num(double v) => v.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>Ticks at powers of ten labelled with the value (1, 10, 100, 0.1), minor ticks between them.</summary>
    private static void LogAxis(ScottPlot.IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Num(Math.Pow(10, y)),
        };
    }

    private static void AddText(Plot plot, string text, double x, double y, Alignment alignment, float offsetY)
    {
        var t = plot.Add.Text(text, x, y);
        t.LabelFontSize = 12;
        t.LabelFontColor = Colors.Black;
        t.LabelAlignment = alignment;
        t.OffsetY = offsetY;
    }
}
