using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vta.Hardware.Config;

/// <summary>Reads and writes vta_config.json (TVM's keys and meaning).</summary>
public static class VtaConfigLoader
{
    private static readonly string[] s_intKeys =
    [
        "LOG_INP_WIDTH", "LOG_WGT_WIDTH", "LOG_ACC_WIDTH", "LOG_BATCH", "LOG_BLOCK",
        "LOG_UOP_BUFF_SIZE", "LOG_INP_BUFF_SIZE", "LOG_WGT_BUFF_SIZE", "LOG_ACC_BUFF_SIZE",
    ];

    /// <summary>Every key of the file format, in TVM's order.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["TARGET", "HW_VER", .. s_intKeys];

    /// <summary>
    /// Finds the configuration a command should use: an explicit path, then $VTA_CONFIG, then
    /// hw-config/vta_config.json in the current folder or any parent, then the built-in defaults.
    /// </summary>
    public static VtaConfig Resolve(string? path)
    {
        if (!string.IsNullOrEmpty(path))
        {
            return Load(path);
        }

        string? env = Environment.GetEnvironmentVariable("VTA_CONFIG");
        if (!string.IsNullOrEmpty(env))
        {
            return Load(env);
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "hw-config", "vta_config.json");
            if (File.Exists(candidate))
            {
                return Load(candidate);
            }
        }

        return VtaConfig.Default;
    }

    public static VtaConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new VtaConfigException("file not found", file: path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static VtaConfig Parse(string json, string? file = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new VtaConfigException($"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", file: file, inner: e);
        }

        if (root is not JsonObject obj)
        {
            throw new VtaConfigException("the file must hold one JSON object with TVM's VTA keys", file: file);
        }

        var values = new Dictionary<string, string>();
        foreach (var (key, node) in obj)
        {
            if (!Keys.Contains(key))
            {
                throw new VtaConfigException($"unknown key (known: {string.Join(", ", Keys)})", key, file);
            }

            if (node is not JsonValue value)
            {
                throw new VtaConfigException("must be a string or an integer", key, file);
            }

            values[key] = value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number => value.ToJsonString(),
                _ => throw new VtaConfigException($"must be a string or an integer, not {value.GetValueKind()}", key, file),
            };
        }

        return FromDictionary(values, file);
    }

    internal static VtaConfig FromDictionary(IReadOnlyDictionary<string, string> values, string? file)
    {
        foreach (string key in Keys)
        {
            if (!values.ContainsKey(key))
            {
                throw new VtaConfigException("missing key", key, file);
            }
        }

        int Int(string key)
        {
            string text = values[key];
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
            {
                throw new VtaConfigException($"'{text}' is not an integer", key, file);
            }

            return v;
        }

        try
        {
            return VtaConfig.Create(values["TARGET"], values["HW_VER"], Int("LOG_INP_WIDTH"), Int("LOG_WGT_WIDTH"),
                Int("LOG_ACC_WIDTH"), Int("LOG_BATCH"), Int("LOG_BLOCK"), Int("LOG_UOP_BUFF_SIZE"),
                Int("LOG_INP_BUFF_SIZE"), Int("LOG_WGT_BUFF_SIZE"), Int("LOG_ACC_BUFF_SIZE"));
        }
        catch (VtaConfigException e) when (file is not null && e.File is null)
        {
            throw new VtaConfigException(e.Reason, e.Key, file, e);
        }
    }

    internal static Dictionary<string, string> ToDictionary(VtaConfig c) => new()
    {
        ["TARGET"] = c.Target,
        ["HW_VER"] = c.HwVer,
        ["LOG_INP_WIDTH"] = c.LogInpWidth.ToString(CultureInfo.InvariantCulture),
        ["LOG_WGT_WIDTH"] = c.LogWgtWidth.ToString(CultureInfo.InvariantCulture),
        ["LOG_ACC_WIDTH"] = c.LogAccWidth.ToString(CultureInfo.InvariantCulture),
        ["LOG_BATCH"] = c.LogBatch.ToString(CultureInfo.InvariantCulture),
        ["LOG_BLOCK"] = c.LogBlock.ToString(CultureInfo.InvariantCulture),
        ["LOG_UOP_BUFF_SIZE"] = c.LogUopBuffSize.ToString(CultureInfo.InvariantCulture),
        ["LOG_INP_BUFF_SIZE"] = c.LogInpBuffSize.ToString(CultureInfo.InvariantCulture),
        ["LOG_WGT_BUFF_SIZE"] = c.LogWgtBuffSize.ToString(CultureInfo.InvariantCulture),
        ["LOG_ACC_BUFF_SIZE"] = c.LogAccBuffSize.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The file form of a configuration, keys in TVM's order.</summary>
    public static string ToJson(VtaConfig c)
    {
        var sb = new StringBuilder("{\n");
        var d = ToDictionary(c);
        for (int i = 0; i < Keys.Count; i++)
        {
            string k = Keys[i];
            string v = i < 2 ? JsonSerializer.Serialize(d[k]) : d[k];
            sb.Append(CultureInfo.InvariantCulture, $"  \"{k}\" : {v}{(i + 1 < Keys.Count ? "," : "")}\n");
        }

        return sb.Append("}\n").ToString();
    }
}
