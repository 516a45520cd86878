using System.Text;

namespace Vta.Compiler.Reports;

/// <summary>
/// A run report as Markdown for terminals and CI: pipe tables, and each figure as a PNG file beside the report
/// (<c>report.md</c> → <c>report.cycles.png</c>, <c>report.roofline.png</c>), linked by its file name.
/// </summary>
public static class RunReportMarkdown
{
    /// <summary>The Markdown text; <paramref name="figureFile"/> names the file a figure is written to, relative to the report.</summary>
    public static string Render(IReadOnlyList<ReportBlock> blocks, Func<ReportFigure, string> figureFile)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(figureFile);
        var m = new StringBuilder();
        foreach (ReportBlock block in blocks)
        {
            switch (block)
            {
                case ReportHeading x:
                    m.Append('#', x.Level).Append(' ').Append(x.Text).Append("\n\n");
                    break;
                case ReportParagraph x:
                    m.Append(x.Note ? "> **Note:** " : "").Append(x.Text).Append("\n\n");
                    break;
                case ReportTableBlock x:
                    Table(m, x.Table);
                    break;
                case ReportFigureBlock x:
                    m.Append("### ").Append(x.Figure.Title).Append("\n\n");
                    m.Append(x.Figure.Png is null ? $"> **Note:** {x.Figure.Failure}" : $"![{x.Figure.Alt}]({figureFile(x.Figure)})").Append("\n\n");
                    m.Append('*').Append(x.Figure.Caption).Append("*\n\n");
                    break;
                default:
                    throw new InvalidOperationException($"unknown report block {block.GetType().Name}");
            }
        }

        return m.ToString();
    }

    private static void Table(StringBuilder m, ReportTable t)
    {
        if (t.Title.Length > 0)
        {
            m.Append("### ").Append(t.Title).Append("\n\n");
        }

        m.Append(t.Caption).Append("\n\n");
        m.Append("| ").AppendJoin(" | ", t.Headers.Select(Cell)).Append(" |\n");
        m.Append('|').AppendJoin('|', t.Left.Select(l => l ? "---" : "--:")).Append("|\n");
        foreach (var row in t.Rows)
        {
            m.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        }

        m.Append('\n');
    }

    /// <summary>A cell that cannot break the table: pipes escaped, line breaks flattened.</summary>
    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
