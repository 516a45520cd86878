using System.Globalization;
using System.Net;
using System.Text;
using Vta.Compiler.Resources;

namespace Vta.Compiler.Sweeps;

/// <summary>
/// The HTML report of a sweep CSV: the Pareto figure, a table of the front, the best design that fits each device and
/// the failures by reason. It reads only the file, so it works as well on a merged set of shards.
/// </summary>
public static class SweepReport
{
    public static void Write(string path, SweepFile file) => File.WriteAllText(path, Html(file, out _), new UTF8Encoding(false));

    public static string Html(SweepFile file, out string renderer)
    {
        ArgumentNullException.ThrowIfNull(file);
        string device = Field(file.HeaderComment, "device") ?? "xc7z020";
        string target = Field(file.HeaderComment, "target") ?? "?";
        var rows = file.Rows;
        var ok = rows.Where(r => r.Ok && r.Resources is not null).ToList();
        var front = ParetoFront.Of(rows);
        string figure = SweepPlot.Html(
            [.. ok.Select(r => new SweepPlot.Dot(r.Resources!.Utilization * 100, r.Cycles / 1e6, ""))],
            [.. front.Select((r, i) => new SweepPlot.Dot(r.Resources!.Utilization * 100, r.Cycles / 1e6, (i + 1).ToString(CultureInfo.InvariantCulture)))],
            device, out renderer);

        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>VTA sweep: ").Append(E(target)).Append("</title>\n<style>")
         .Append("body{font-family:'DejaVu Sans',sans-serif;margin:24px;max-width:1200px;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
         .Append("table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f0f0f0}")
         .Append("td.l,th.l{text-align:left}td:not(.l){white-space:nowrap}p.cap{font-size:14px;max-width:960px}code{font-size:12px;word-break:break-all}</style></head><body>\n");
        h.Append("<h1>VTA hardware sweep: ").Append(E(target)).Append("</h1>\n");
        h.Append(CultureInfo.InvariantCulture, $"<p>{rows.Count} points: {rows.Count(r => r.Ok)} ran, {rows.Count(r => !r.Ok)} could not ({E(DefinitionWords(file))}).</p>\n");
        h.Append("<p><code>").Append(E(file.HeaderComment)).Append("</code></p>\n");

        h.Append("<h2>Pareto front</h2>\n").Append(figure).Append('\n');
        h.Append(CultureInfo.InvariantCulture, $"<p class=\"cap\">Each blue dot is a configuration that compiled and ran: its total cycles for {E(target)} against the share of {E(device)} that its binding resource (block RAM, DSPs, LUTs or flip-flops, estimated) takes; the red staircase is the Pareto front, the designs no other design beats on both, and points right of the dashed line do not fit {E(device)}. Drawn with {E(renderer)}.</p>\n");

        h.Append("<h2>Designs on the front</h2>\n");
        h.Append("<p class=\"cap\">The front from the least to the most resources, numbered as in the figure: each row is faster than every row above it.</p>\n");
        Table(h, file.Keys, front);

        h.Append("<h2>Best design per device</h2>\n");
        h.Append("<p class=\"cap\">For each device, the fastest configuration whose estimated resources fit it, timed at the point's own clock (its TARGET's, or CLOCK_MHZ when swept), not re-timed at that device's; a dash when none of the swept designs fits.</p>\n");
        h.Append("<table><tr><th class=\"l\">device</th><th class=\"l\">part</th><th class=\"l\">best configuration</th><th>time (ms)</th><th>cycles</th><th>GEMM util.</th></tr>\n");
        foreach (var (d, best) in ParetoFront.BestPerDevice(rows))
        {
            h.Append("<tr><td class=\"l\">").Append(E(d.Name)).Append("</td><td class=\"l\">").Append(E(d.Part)).Append("</td>");
            h.Append(best is null ? "<td class=\"l\">—</td><td></td><td></td><td></td></tr>\n"
                : string.Create(CultureInfo.InvariantCulture, $"<td class=\"l\">{E(best.Config)}</td><td>{best.Seconds * 1e3:0.###}</td><td>{best.Cycles:N0}</td><td>{best.GemmUtilization:P1}</td></tr>\n"));
        }

        h.Append("</table>\n");

        var failures = rows.Where(r => !r.Ok).GroupBy(r => Kind(r.Failure!)).OrderByDescending(g => g.Count()).ToList();
        if (failures.Count > 0)
        {
            h.Append("<h2>Points that could not run</h2>\n<p class=\"cap\">Each kind of reason with the number of points it stopped, and the first such point with its reason (field lists shortened to …); the CSV holds every reason in full.</p>\n");
            h.Append("<table><tr><th>points</th><th class=\"l\">first</th><th class=\"l\">reason</th></tr>\n");
            foreach (var g in failures.Take(20))
            {
                var first = g.OrderBy(r => r.Index).First();
                h.Append(CultureInfo.InvariantCulture, $"<tr><td>{g.Count()}</td><td class=\"l\">{E(Label(file.Keys, first))}</td><td class=\"l\">{E(Brief(first.Failure!))}</td></tr>\n");
            }

            h.Append("</table>\n");
        }

        h.Append("<p class=\"cap\">Resources are estimates from the model in docs/sweeps.md (block RAM and DSPs from the design's structure, LUTs and flip-flops from a linear model with estimated constants); cycles come from the timing simulator.</p>\n");
        return h.Append("</body></html>\n").ToString();
    }

    private static void Table(StringBuilder h, IReadOnlyList<string> keys, IReadOnlyList<SweepRow> rows)
    {
        h.Append("<table><tr><th>#</th><th class=\"l\">configuration</th>");
        foreach (string k in keys)
        {
            h.Append("<th>").Append(E(Short(k))).Append("</th>");
        }

        h.Append("<th>cycles</th><th>time (ms)</th><th>GEMM util.</th><th>DRAM (MB)</th><th>BRAM18</th><th>DSP</th><th>LUT</th><th>FF</th><th>util.</th><th class=\"l\">binding</th><th class=\"l\">fits</th></tr>\n");
        foreach (var (r, n) in rows.Select((r, i) => (r, i + 1)))
        {
            var res = r.Resources!;
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{n}</td><td class=\"l\">").Append(E(r.Config)).Append("</td>");
            foreach (string v in r.Values)
            {
                h.Append("<td>").Append(E(v)).Append("</td>");
            }

            string fits = string.Join(", ", FpgaDevice.All.Where((_, i) => res.Fits[i]).Select(d => d.Name));
            h.Append(CultureInfo.InvariantCulture,
                $"<td>{r.Cycles:N0}</td><td>{r.Seconds * 1e3:0.###}</td><td>{r.GemmUtilization:P1}</td><td>{r.DramBytes / 1e6:0.##}</td><td>{res.Bram18}</td><td>{res.Dsps}</td><td>{res.Luts:N0}</td><td>{res.FlipFlops:N0}</td><td>{res.Utilization:P1}</td><td class=\"l\">{E(res.Binding)}</td><td class=\"l\">{E(fits.Length == 0 ? "none" : fits)}</td></tr>\n");
        }

        h.Append("</table>\n");
    }

    /// <summary>"LOG_BLOCK=5 LOG_WGT_BUFF_SIZE=19": the varied values that name a point.</summary>
    public static string Label(IReadOnlyList<string> keys, SweepRow row) =>
        string.Join(' ', keys.Select((k, i) => $"{Short(k)}={row.Values[i]}"));

    /// <summary>A reason without its long parenthesized field lists (instruction layouts), so it reads in one line.</summary>
    public static string Brief(string reason) => System.Text.RegularExpressions.Regex.Replace(reason, @"\([^()]{40,}\)", "(…)");

    /// <summary>The kind of a reason: its brief form with numbers blanked, so "needs 139 bits" and "needs 140 bits" group.</summary>
    private static string Kind(string reason) => System.Text.RegularExpressions.Regex.Replace(Brief(reason), @"\d+", "#");

    private static string Short(string key) => key.StartsWith("LOG_", StringComparison.Ordinal) ? key[4..].Replace("_BUFF_SIZE", "", StringComparison.Ordinal) : key;

    private static string DefinitionWords(SweepFile file) =>
        $"varying {string.Join(", ", file.Keys)}; utilization on {Field(file.HeaderComment, "device")}";

    private static string? Field(string comment, string name) =>
        comment.Split(' ').FirstOrDefault(f => f.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
