namespace Vta.Compiler.Reports;

/// <summary>One piece of a report, in reading order; the HTML and Markdown writers draw the same blocks.</summary>
public abstract record ReportBlock;

/// <summary>A section heading (level 1 is the title).</summary>
public sealed record ReportHeading(int Level, string Text) : ReportBlock;

/// <summary>A paragraph of plain text; <see cref="Note"/> marks a warning the reader should not miss.</summary>
public sealed record ReportParagraph(string Text, bool Note = false) : ReportBlock;

public sealed record ReportTableBlock(ReportTable Table) : ReportBlock;

public sealed record ReportFigureBlock(ReportFigure Figure) : ReportBlock;
