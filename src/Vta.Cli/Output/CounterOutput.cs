using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Vta.Sim;

namespace Vta.Cli.Output;

/// <summary>TVM's seven counters as a table (beside TVM's published figures where there are any) and as JSON.</summary>
internal static class CounterOutput
{
    /// <summary>Counter, ours, and with <paramref name="tvm"/> also TVM's and the ratio ("=" when both are 0).</summary>
    public static Table Table(string title, SimCounters ours, SimCounters? tvm, string oursColumn = "ours")
    {
        Table table = tvm is null
            ? Tables.Create(title, "counter", oursColumn)
            : Tables.Create(title, "counter", oursColumn, "TVM (published)", "ours / TVM");
        Dictionary<string, long>? theirs = tvm?.ToList().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (k, v) in ours.ToList())
        {
            if (theirs is null)
            {
                Tables.AddRow(table, k, N(v));
            }
            else
            {
                AddComparison(table, k, v, theirs[k]);
            }
        }

        return table;
    }

    /// <summary>A row "name, ours, theirs, ours / theirs".</summary>
    public static void AddComparison(Table table, string name, long ours, long theirs) =>
        Tables.AddRow(table, name, N(ours), N(theirs), theirs == 0 ? (ours == 0 ? "=" : "n/a") : (ours / (double)theirs).ToString("0.00", CultureInfo.InvariantCulture));

    /// <summary>{"inp_load_nbytes": …, …} under TVM's names.</summary>
    public static JsonObject Json(SimCounters c) => new(c.ToList().Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
