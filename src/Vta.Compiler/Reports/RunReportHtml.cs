using System.Net;
using System.Text;

namespace Vta.Compiler.Reports;

/// <summary>A run report as one self-contained HTML page: inline CSS, figures as base64 PNG data URIs, no external assets.</summary>
public static class RunReportHtml
{
    private const string Style =
        "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222;line-height:1.45}" +
        "h1{font-size:24px}h2{font-size:19px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:20px 0 4px}" +
        "p{max-width:960px}p.note{background:#fff8e1;border-left:4px solid #f9a825;padding:8px 12px}p.cap{font-size:14px;color:#444}" +
        ".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:13px;margin:6px 0 4px}" +
        "th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;vertical-align:top}th{background:#f0f0f0;font-weight:600}" +
        "td.l,th.l{text-align:left}td:not(.l){white-space:nowrap;font-variant-numeric:tabular-nums}tr:nth-child(even) td{background:#fafafa}" +
        "table.layers th{max-width:84px}figure{margin:16px 0}img{max-width:100%;height:auto;border:1px solid #eee}";

    public static string Render(IReadOnlyList<ReportBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        string title = blocks.OfType<ReportHeading>().FirstOrDefault(h => h.Level == 1)?.Text ?? "VTA run report";
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
         .Append(Style).Append("</style></head><body>\n");
        foreach (ReportBlock block in blocks)
        {
            switch (block)
            {
                case ReportHeading x:
                    h.Append($"<h{x.Level}>").Append(E(x.Text)).Append($"</h{x.Level}>\n");
                    break;
                case ReportParagraph x:
                    h.Append(x.Note ? "<p class=\"note\">" : "<p>").Append(E(x.Text)).Append("</p>\n");
                    break;
                case ReportTableBlock x:
                    Table(h, x.Table);
                    break;
                case ReportFigureBlock x:
                    Figure(h, x.Figure);
                    break;
                default:
                    throw new InvalidOperationException($"unknown report block {block.GetType().Name}");
            }
        }

        return h.Append("</body></html>\n").ToString();
    }

    private static void Table(StringBuilder h, ReportTable t)
    {
        if (t.Title.Length > 0)
        {
            h.Append("<h3>").Append(E(t.Title)).Append("</h3>\n");
        }

        h.Append("<p class=\"cap\">").Append(E(t.Caption)).Append("</p>\n");
        h.Append("<div class=\"scroll\"><table").Append(t.Headers.Count > 8 ? " class=\"layers\"" : "").Append("><tr>");
        for (int i = 0; i < t.Headers.Count; i++)
        {
            // Counter names break after their underscores, not in the middle of a word.
            h.Append(t.Left[i] ? "<th class=\"l\">" : "<th>").Append(E(t.Headers[i]).Replace("_", "_<wbr>", StringComparison.Ordinal)).Append("</th>");
        }

        h.Append("</tr>\n");
        foreach (var row in t.Rows)
        {
            h.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                h.Append(t.Left[i] ? "<td class=\"l\">" : "<td>").Append(E(row[i])).Append("</td>");
            }

            h.Append("</tr>\n");
        }

        h.Append("</table></div>\n");
    }

    private static void Figure(StringBuilder h, ReportFigure f)
    {
        h.Append("<figure><h3>").Append(E(f.Title)).Append("</h3>\n");
        if (f.Png is { } png)
        {
            h.Append("<img alt=\"").Append(E(f.Alt)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\">\n");
        }
        else
        {
            h.Append("<p class=\"note\">").Append(E(f.Failure ?? "no figure")).Append("</p>\n");
        }

        h.Append("<figcaption><p class=\"cap\">").Append(E(f.Caption)).Append("</p></figcaption></figure>\n");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
