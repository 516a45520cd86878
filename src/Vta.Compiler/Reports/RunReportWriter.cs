using System.Text;
using Vta.Hardware.IO;

namespace Vta.Compiler.Reports;

/// <summary>
/// Writes a <see cref="RunReport"/> in the format its path's extension names: <c>.html</c> (one self-contained page) or
/// <c>.md</c> (Markdown with the figures as PNG files beside it). Every file goes through a temporary sibling and a
/// rename (<see cref="AtomicFile"/>), so a failure leaves no partial file.
/// </summary>
public static class RunReportWriter
{
    public static readonly IReadOnlyList<string> Extensions = [".html", ".htm", ".md"];

    public static void Write(RunReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (!Extensions.Contains(extension))
        {
            throw new ArgumentException($"{path}: a report is written as .html or .md, not '{extension}'", nameof(path));
        }

        IReadOnlyList<ReportBlock> blocks = RunReportContent.Blocks(report);
        try
        {
            if (extension == ".md")
            {
                WriteMarkdown(blocks, path);
            }
            else
            {
                AtomicFile.WriteAllBytes(path, Utf8(RunReportHtml.Render(blocks)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot write the report: {e.Message}", e);
        }
    }

    /// <summary>The file a Markdown report's figure goes to: the report's name with the figure's stem and .png.</summary>
    public static string FigurePath(string reportPath, ReportFigure figure) =>
        Path.ChangeExtension(reportPath, null) + "." + figure.Stem + ".png";

    private static void WriteMarkdown(IReadOnlyList<ReportBlock> blocks, string path)
    {
        // Figures first, so a report never links a figure that failed to be written.
        foreach (ReportFigure figure in blocks.OfType<ReportFigureBlock>().Select(b => b.Figure).Where(f => f.Png is not null))
        {
            AtomicFile.WriteAllBytes(FigurePath(path, figure), figure.Png);
        }

        AtomicFile.WriteAllBytes(path, Utf8(RunReportMarkdown.Render(blocks, f => Path.GetFileName(FigurePath(path, f)))));
    }

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);
}
