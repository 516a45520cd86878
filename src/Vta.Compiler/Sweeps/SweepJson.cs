using System.Text.Json.Nodes;

namespace Vta.Compiler.Sweeps;

/// <summary>A sweep file as JSON: the definition, then one object per point under the CSV's column names.</summary>
public static class SweepJson
{
    public static JsonObject From(SweepFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var rows = new JsonArray();
        foreach (var r in file.Rows)
        {
            var o = new JsonObject();
            var fields = r.Fields();
            for (int i = 0; i < file.Columns.Count; i++)
            {
                o[file.Columns[i]] = Value(file.Columns[i], fields[i]);
            }

            rows.Add(o);
        }

        return new JsonObject
        {
            ["hash"] = file.Hash,
            ["definition"] = file.HeaderComment.TrimStart('#', ' '),
            ["varied"] = new JsonArray([.. file.Keys.Select(k => (JsonNode)JsonValue.Create(k))]),
            ["points"] = file.Rows.Count,
            ["failed"] = file.Rows.Count(r => !r.Ok),
            ["pareto"] = new JsonArray([.. ParetoFront.Of(file.Rows).Select(r => (JsonNode)JsonValue.Create(r.Index))]),
            ["rows"] = rows,
        };
    }

    /// <summary>Numbers as numbers, yes/no as booleans, empty as null; names and reasons as strings.</summary>
    private static JsonNode? Value(string column, string field)
    {
        if (field.Length == 0)
        {
            return null;
        }

        if (column.StartsWith("fits_", StringComparison.Ordinal))
        {
            return field == "yes";
        }

        if (column is "config" or "status" or "reason" or "binding" || column.StartsWith("TARGET", StringComparison.Ordinal) || column == "HW_VER")
        {
            return field;
        }

        return long.TryParse(field, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long l) ? l
            : double.TryParse(field, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) ? d
            : field;
    }
}
