using System.Text;

namespace Vta.Compiler.Sweeps;

/// <summary>A sweep CSV as read back: its header comment and hash, its column names and its complete rows.</summary>
public sealed record SweepFile(string HeaderComment, string Hash, IReadOnlyList<string> Columns, IReadOnlyList<SweepRow> Rows)
{
    /// <summary>The varied keys: the columns between config and status.</summary>
    public IReadOnlyList<string> Keys => [.. Columns.Skip(2).TakeWhile(c => c != "status")];
}

/// <summary>
/// The sweep CSV: a "# vta-sweep/1 hash=…" comment, a header line, then one RFC 4180 line per point. Each line is
/// written whole and flushed, so an interrupted run leaves at most a partial last line, which <see cref="Read"/> drops.
/// </summary>
public static class SweepCsv
{
    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote)) + "\n";

    /// <summary>Splits one CSV line (no line break inside) into fields, honouring double quotes.</summary>
    public static List<string> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        if (quoted)
        {
            throw new InvalidDataException("unterminated quoted field");
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>
    /// Reads a sweep CSV. With <paramref name="repair"/>, a partial last line (no final line break: the run was
    /// interrupted while writing it) is cut off the file; otherwise it is only ignored.
    /// </summary>
    public static SweepFile Read(string path, bool repair = false)
    {
        string text = File.ReadAllText(path, Encoding.UTF8);
        int complete = text.LastIndexOf('\n') + 1;
        if (complete < text.Length && repair)
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Write);
            fs.SetLength(Encoding.UTF8.GetByteCount(text.AsSpan(0, complete)));
        }

        string[] lines = text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || SweepDefinition.HashOf(lines[0]) is not { } hash)
        {
            throw new InvalidDataException($"{path}: not a sweep CSV (it must start with '# {SweepDefinition.FormatVersion} hash=…' and a header line)");
        }

        var columns = Split(lines[1]);
        int keys = columns.Skip(2).TakeWhile(c => c != "status").Count();
        if (!columns.SequenceEqual(SweepRow.Columns([.. columns.Skip(2).Take(keys)])))
        {
            throw new InvalidDataException($"{path}: the header line is not this version's sweep columns");
        }

        var rows = new List<SweepRow>();
        for (int i = 2; i < lines.Length; i++)
        {
            try
            {
                rows.Add(SweepRow.Parse(Split(lines[i]), keys));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}:{i + 1}: {e.Message}", e);
            }
        }

        return new SweepFile(lines[0], hash, columns, rows);
    }

    /// <summary>Writes a whole file at once (temporary file, then rename), rows sorted by index.</summary>
    public static void Write(string path, string headerComment, IReadOnlyList<string> columns, IEnumerable<SweepRow> rows)
    {
        var sb = new StringBuilder().Append(headerComment).Append('\n').Append(Line(columns));
        foreach (var row in rows.OrderBy(r => r.Index))
        {
            sb.Append(Line(row.Fields()));
        }

        string temp = path + ".tmp";
        File.WriteAllText(temp, sb.ToString(), new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Combines shard files of one sweep: every file must carry the same hash (else <see cref="InvalidDataException"/>);
    /// a point present in several files must have identical rows there.
    /// </summary>
    public static SweepFile Merge(IReadOnlyList<string> inputs, string output)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new FormatException("sweep merge: give at least one input CSV");
        }

        var files = inputs.Select(p => Read(p)).ToList();
        var first = files[0];
        for (int i = 1; i < files.Count; i++)
        {
            if (files[i].Hash != first.Hash)
            {
                throw new InvalidDataException($"{inputs[i]} is from another sweep (hash {files[i].Hash}, {inputs[0]} has {first.Hash})");
            }
        }

        var byIndex = new SortedDictionary<long, SweepRow>();
        foreach (var (file, path) in files.Zip(inputs))
        {
            foreach (var row in file.Rows)
            {
                if (byIndex.TryGetValue(row.Index, out var seen) && !seen.Fields().SequenceEqual(row.Fields()))
                {
                    throw new InvalidDataException($"{path}: point {row.Index} differs from the same point in another input");
                }

                byIndex[row.Index] = row;
            }
        }

        Write(output, first.HeaderComment, first.Columns, byIndex.Values);
        return new SweepFile(first.HeaderComment, first.Hash, first.Columns, [.. byIndex.Values]);
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
