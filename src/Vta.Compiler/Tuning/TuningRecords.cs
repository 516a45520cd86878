using System.Text.Json;
using System.Text.Json.Nodes;
using Vta.Compiler.Tiling;
using Vta.Hardware.Config;
using Vta.Hardware.IO;

namespace Vta.Compiler.Tuning;

/// <summary>
/// A tuning records file: the schema version, the configuration it was tuned for (model name and a fingerprint of
/// every hardware parameter), what was tuned, and one record per workload key. Read with <see cref="Load"/> (every
/// error names the file and the field), written atomically with <see cref="Save"/>, applied with
/// <see cref="PolicyFor"/>.
/// </summary>
public sealed class TuningRecords
{
    public const string SchemaVersion = "vta-tuning-records/1";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };
    private readonly Dictionary<string, TuningRecord> _byKey;

    public TuningRecords(string configName, string fingerprint, string source, int trials, int seed, IReadOnlyList<TuningRecord> records, string? file = null)
    {
        ConfigName = configName;
        Fingerprint = fingerprint;
        Source = source;
        Trials = trials;
        Seed = seed;
        Records = records;
        File = file;
        _byKey = new Dictionary<string, TuningRecord>(StringComparer.Ordinal);
        for (int i = 0; i < records.Count; i++)
        {
            if (!_byKey.TryAdd(records[i].Key, records[i]))
            {
                int first = records.ToList().FindIndex(r => r.Key == records[i].Key);
                throw new InvalidDataException($"{Where}: records[{i}].key: the same key as records[{first}] ('{records[i].Key}')");
            }
        }
    }

    /// <summary>TVM's MODEL string of the configuration tuned for, e.g. pynq_1x16_i8w8a32_15_15_18_17.</summary>
    public string ConfigName { get; }

    /// <summary><see cref="ConfigFingerprint"/> of that configuration.</summary>
    public string Fingerprint { get; }

    /// <summary>What was tuned: a model path or name, or a workload set.</summary>
    public string Source { get; }

    public int Trials { get; }

    public int Seed { get; }

    public IReadOnlyList<TuningRecord> Records { get; }

    /// <summary>The file these records were read from, if any (for messages).</summary>
    public string? File { get; }

    private string Where => File ?? "tuning records";

    public TuningRecord? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>Refuses a configuration other than the one tuned for, naming both.</summary>
    public void EnsureFor(VtaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string fingerprint = ConfigFingerprint.Of(config);
        if (config.Model != ConfigName || fingerprint != Fingerprint)
        {
            throw new InvalidDataException($"{Where} was tuned for {ConfigName} (fingerprint {Fingerprint}), not for {config.Model} "
                + $"(fingerprint {fingerprint}): tune again for this configuration ('vta tune MODEL --config …')");
        }
    }

    /// <summary>The policy that applies these records at <paramref name="config"/> (refused at once when they are another configuration's).</summary>
    public RecordedTilingPolicy PolicyFor(VtaConfig config, ITilingPolicy? fallback = null)
    {
        EnsureFor(config);
        return new RecordedTilingPolicy(this, fallback);
    }

    public static TuningRecords Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: tuning records file not found", path);
        }

        return Parse(System.IO.File.ReadAllText(path), path);
    }

    public static TuningRecords Parse(string json, string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not valid JSON: {e.Message}", e);
        }

        var r = new JsonReader(file);
        var o = r.Object(root, "(root)");
        string schema = r.String(o, "schema");
        if (schema != SchemaVersion)
        {
            throw new InvalidDataException($"{file}: schema: '{schema}' is not a tuning records version this program reads ({SchemaVersion})");
        }

        var config = r.Object(o["config"], "config");
        var list = o["records"] as JsonArray ?? throw r.Error("records", "missing or not an array");
        var records = new List<TuningRecord>();
        for (int i = 0; i < list.Count; i++)
        {
            string at = $"records[{i}]";
            var e = r.Object(list[i], at);
            var layers = e["layers"] as JsonArray ?? throw r.Error($"{at}.layers", "missing or not an array");
            records.Add(new TuningRecord(
                r.String(e, "key", at),
                r.String(e, "workload", at),
                [.. layers.Select((l, j) => l is JsonValue v && v.TryGetValue(out string? s) ? s : throw r.Error($"{at}.layers[{j}]", "not a string"))],
                r.Int(e, "count", at, min: 1),
                r.Tiling(e, "tiling", at),
                r.Long(e, "cycles", at),
                r.Tiling(e, "default_tiling", at),
                r.Long(e, "default_cycles", at),
                r.Int(e, "candidates", at, min: 1),
                r.Int(e, "space", at, min: 1)));
        }

        return new TuningRecords(r.String(config, "name", "config"), r.String(config, "fingerprint", "config"), r.String(o, "source"),
            r.Int(o, "trials", min: 1), r.Int(o, "seed", min: int.MinValue), records, file);
    }

    public JsonObject ToJson() => new()
    {
        ["schema"] = SchemaVersion,
        ["config"] = new JsonObject { ["name"] = ConfigName, ["fingerprint"] = Fingerprint },
        ["source"] = Source,
        ["trials"] = Trials,
        ["seed"] = Seed,
        ["records"] = new JsonArray([.. Records.Select(r => (JsonNode)new JsonObject
        {
            ["key"] = r.Key,
            ["workload"] = r.Workload,
            ["layers"] = new JsonArray([.. r.Layers.Select(l => (JsonNode)l)]),
            ["count"] = r.Count,
            ["tiling"] = JsonReader.Write(r.Tiling),
            ["cycles"] = r.Cycles,
            ["default_tiling"] = JsonReader.Write(r.DefaultTiling),
            ["default_cycles"] = r.DefaultCycles,
            ["candidates"] = r.Candidates,
            ["space"] = r.SpaceSize,
        })]),
    };

    /// <summary>Writes the file through a temporary sibling and a rename.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, ToJson().ToJsonString(s_json) + "\n");
    }

    /// <summary>Field readers whose errors say file: path.field: what is wrong.</summary>
    private sealed class JsonReader(string file)
    {
        private static readonly string[] s_tilingFields = ["batch_blocks", "groups", "out_blocks", "in_blocks", "rows", "cols"];

        public InvalidDataException Error(string field, string problem) => new($"{file}: {field}: {problem}");

        public JsonObject Object(JsonNode? node, string field) => node as JsonObject ?? throw Error(field, "missing or not an object");

        public string String(JsonObject o, string name, string? at = null) =>
            o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : throw Error(Path(at, name), "missing or not a string");

        public long Long(JsonObject o, string name, string? at = null, long min = 0) =>
            o[name] is JsonValue v && v.TryGetValue(out long x) && x >= min ? x : throw Error(Path(at, name), $"missing or not an integer ≥ {min}");

        public int Int(JsonObject o, string name, string? at = null, int min = 0) =>
            o[name] is JsonValue v && v.TryGetValue(out int x) && x >= min
                ? x
                : throw Error(Path(at, name), min == int.MinValue ? "missing or not an integer" : $"missing or not an integer ≥ {min}");

        public ConvTiling Tiling(JsonObject o, string name, string at)
        {
            string path = Path(at, name);
            var t = Object(o[name], path);
            int[] v = [.. s_tilingFields.Select(f => Int(t, f, path, min: 1))];
            var order = String(t, "order", path) switch
            {
                "weights-outer" => LoopOrder.WeightsOuter,
                "inputs-outer" => LoopOrder.InputsOuter,
                var other => throw Error($"{path}.order", $"'{other}' is not weights-outer or inputs-outer"),
            };
            int acc = Int(t, "acc_buffers", path, min: 1);
            if (acc > 2)
            {
                throw Error($"{path}.acc_buffers", $"{acc}: the accumulator holds one or two buffers");
            }

            return new ConvTiling(v[0], v[1], v[2], v[3], v[4], v[5], order, acc);
        }

        public static JsonObject Write(ConvTiling t) => new()
        {
            ["batch_blocks"] = t.BatchBlocks,
            ["groups"] = t.Groups,
            ["out_blocks"] = t.OutBlocks,
            ["in_blocks"] = t.InBlocks,
            ["rows"] = t.Rows,
            ["cols"] = t.Cols,
            ["order"] = t.Order == LoopOrder.WeightsOuter ? "weights-outer" : "inputs-outer",
            ["acc_buffers"] = t.AccBuffers,
        };

        private static string Path(string? at, string name) => at is null ? name : $"{at}.{name}";
    }
}
