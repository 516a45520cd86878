namespace Vta.Compiler.Reports;

/// <summary>
/// A table as both writers draw it: a title (empty when the section heading already names it), a caption, headers (units in brackets), and rows of already formatted
/// cells. <see cref="Left"/> marks the text columns; the others are numbers and are right-aligned.
/// </summary>
public sealed record ReportTable(string Title, string Caption, IReadOnlyList<string> Headers, IReadOnlyList<bool> Left, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public ReportTable Validate()
    {
        if (Left.Count != Headers.Count || Rows.Any(r => r.Count != Headers.Count))
        {
            throw new InvalidOperationException($"table '{Title}': every row needs {Headers.Count} cells");
        }

        return this;
    }
}

/// <summary>A figure as both writers embed it: a PNG, the file-name stem the Markdown writer gives it, alt text and a caption.</summary>
public sealed record ReportFigure(string Title, string Stem, string Alt, string Caption, byte[]? Png, string? Failure)
{
    /// <summary>Draws a figure, or records why it could not be drawn here (SkiaSharp's native library or fonts missing).</summary>
    public static ReportFigure Draw(string title, string stem, string alt, string caption, Func<byte[]> draw)
    {
        try
        {
            return new ReportFigure(title, stem, alt, caption, draw(), null);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            return new ReportFigure(title, stem, alt, caption, null, $"the figure could not be drawn on this machine ({e.GetType().Name}: {e.Message})");
        }
    }
}
