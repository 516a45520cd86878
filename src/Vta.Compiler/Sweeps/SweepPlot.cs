using System.Globalization;
using System.Text;
using ScottPlot;

namespace Vta.Compiler.Sweeps;

/// <summary>The report's figure: every successful point's cycles against its device utilization, the Pareto front drawn over them.</summary>
public static class SweepPlot
{
    public const int Width = 960;
    public const int Height = 600;

    /// <summary>One plotted point: x = utilization in percent, y = millions of cycles, a short label for front points.</summary>
    public readonly record struct Dot(double X, double Y, string Label);

    /// <summary>
    /// An HTML fragment holding the figure: a ScottPlot PNG as a base64 data URI, or, if ScottPlot cannot render here
    /// (SkiaSharp's native library or fonts missing), an inline SVG drawn by <see cref="Svg"/>. <paramref name="renderer"/>
    /// says which one it is.
    /// </summary>
    public static string Html(IReadOnlyList<Dot> all, IReadOnlyList<Dot> front, string deviceName, out string renderer)
    {
        try
        {
            byte[] png = Png(all, front, deviceName);
            renderer = "ScottPlot";
            return $"<img alt=\"Pareto front of cycles against {deviceName} utilization\" width=\"{Width}\" height=\"{Height}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or InvalidOperationException)
        {
            renderer = $"inline SVG (ScottPlot could not render: {e.GetType().Name})";
            return Svg(all, front, deviceName);
        }
    }

    public static byte[] Png(IReadOnlyList<Dot> all, IReadOnlyList<Dot> front, string deviceName)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(front);
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var cloud = plot.Add.ScatterPoints(all.Select(d => d.X).ToArray(), all.Select(d => d.Y).ToArray());
        cloud.Color = Colors.SteelBlue.WithAlpha(0.55);
        cloud.MarkerSize = 7;
        cloud.LegendText = "configuration that ran";
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(d => d.X).ToArray(), front.Select(d => d.Y).ToArray());
            line.Color = Colors.OrangeRed;
            line.LineWidth = 2;
            line.MarkerSize = 10;
            line.LegendText = "Pareto front";
            // A staircase: between two front designs nothing better exists, so no diagonal is implied.
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            foreach (var d in front)
            {
                var text = plot.Add.Text(d.Label, d.X, d.Y);
                text.LabelFontSize = 11;
                text.LabelFontColor = Colors.DarkRed;
                text.OffsetX = 8;
                text.OffsetY = -6;
            }
        }

        var capacity = plot.Add.VerticalLine(100, 1.5f, Colors.Black, LinePattern.Dashed);
        capacity.LegendText = $"{deviceName} capacity";
        plot.Title($"Cycles against {deviceName} utilization");
        plot.XLabel($"utilization of {deviceName}: binding resource, % of the device");
        plot.YLabel("cycles (millions)");
        plot.Axes.SetLimitsX(0, Math.Max(110, all.Concat(front).Select(d => d.X).DefaultIfEmpty(0).Max() * 1.08));
        plot.Axes.SetLimitsY(0, Math.Max(1e-9, all.Concat(front).Select(d => d.Y).DefaultIfEmpty(1).Max() * 1.12));
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>The same figure as an inline SVG, drawn by hand (the fallback when ScottPlot cannot render).</summary>
    public static string Svg(IReadOnlyList<Dot> all, IReadOnlyList<Dot> front, string deviceName)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(front);
        const double left = 80, right = 30, top = 50, bottom = 60;
        double xMax = Math.Max(110, all.Select(d => d.X).DefaultIfEmpty(0).Max() * 1.08);
        double yMax = Math.Max(1e-9, all.Select(d => d.Y).DefaultIfEmpty(1).Max() * 1.08);
        double Px(double x) => left + x / xMax * (Width - left - right);
        double Py(double y) => Height - bottom - y / yMax * (Height - top - bottom);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"DejaVu Sans, sans-serif\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\">Cycles against {Esc(deviceName)} utilization</text>");
        for (int i = 0; i <= 5; i++)
        {
            double x = xMax * i / 5, y = yMax * i / 5;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Px(x):0.#}\" y1=\"{top}\" x2=\"{Px(x):0.#}\" y2=\"{Height - bottom}\" stroke=\"#ddd\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Px(x):0.#}\" y=\"{Height - bottom + 18}\" text-anchor=\"middle\" font-size=\"12\">{x:0}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Py(y):0.#}\" x2=\"{Width - right}\" y2=\"{Py(y):0.#}\" stroke=\"#ddd\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{Py(y) + 4:0.#}\" text-anchor=\"end\" font-size=\"12\">{y:0.##}</text>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Px(100):0.#}\" y1=\"{top}\" x2=\"{Px(100):0.#}\" y2=\"{Height - bottom}\" stroke=\"black\" stroke-dasharray=\"6,4\"/>");
        foreach (var d in all)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Px(d.X):0.#}\" cy=\"{Py(d.Y):0.#}\" r=\"4\" fill=\"steelblue\" fill-opacity=\"0.55\"/>");
        }

        if (front.Count > 0)
        {
            sb.Append("<polyline fill=\"none\" stroke=\"orangered\" stroke-width=\"2\" points=\"")
              .AppendJoin(' ', front.Select((d, i) => string.Create(CultureInfo.InvariantCulture,
                  $"{(i == 0 ? "" : $"{Px(d.X):0.#},{Py(front[i - 1].Y):0.#} ")}{Px(d.X):0.#},{Py(d.Y):0.#}"))).Append("\"/>");
            foreach (var d in front)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Px(d.X):0.#}\" cy=\"{Py(d.Y):0.#}\" r=\"5\" fill=\"orangered\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Px(d.X) + 8:0.#}\" y=\"{Py(d.Y) - 6:0.#}\" font-size=\"11\" fill=\"darkred\">{Esc(d.Label)}</text>");
            }
        }

        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + Width - right) / 2}\" y=\"{Height - 18}\" text-anchor=\"middle\" font-size=\"14\">utilization of {Esc(deviceName)}: binding resource, % of the device</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(22,{(top + Height - bottom) / 2}) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\">cycles (millions)</text>");
        return sb.Append("</svg>").ToString();
    }

    private static string Esc(string s) => System.Net.WebUtility.HtmlEncode(s);
}
