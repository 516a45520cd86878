using Spectre.Console;

namespace Vta.Cli.Output;

/// <summary>Spectre tables whose cells are plain text (brackets in values are never read as markup).</summary>
internal static class Tables
{
    public static Table Create(string title, params string[] columns)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        return table;
    }

    public static Table KeyValue(string title, IEnumerable<(string Key, string Value)> rows)
    {
        var table = Create(title, "name", "value");
        foreach (var (key, value) in rows)
        {
            AddRow(table, key, value);
        }

        return table;
    }

    public static void AddRow(Table table, params string[] cells) => table.AddRow(cells.Select(c => new Text(c)).ToArray());
}
