using System.Text.Json;
using System.Text.Json.Nodes;
using Vta.Hardware.Config;
using Vta.Hardware.IO;

namespace Vta.Hardware.Bitstreams;

/// <summary>One catalogue entry: where the file is (TVM's &lt;target&gt;/&lt;HW_VER&gt;/&lt;name&gt;.bit), its kind, size, hash and configuration.</summary>
public sealed record BitstreamEntry(string Path, BitstreamKind Kind, long Bytes, string Sha256, VtaConfig Config);

/// <summary>
/// The bitstream catalogue: a folder with manifest.json ({"version": 1, "bitstreams": [{path, kind, bytes, sha256,
/// model, config}]}) and the files it lists. Paths are relative, with '/' separators, inside the folder.
/// </summary>
public sealed class BitstreamManifest
{
    public const string FileName = "manifest.json";
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };
    private readonly List<BitstreamEntry> _entries;

    private BitstreamManifest(string directory, List<BitstreamEntry> entries)
    {
        Directory = directory;
        _entries = entries;
    }

    public string Directory { get; }

    public IReadOnlyList<BitstreamEntry> Entries => _entries;

    /// <summary>An explicit folder, then $VTA_BITSTREAMS, then bitstreams/ (with a manifest) here or in any parent.</summary>
    public static BitstreamManifest Resolve(string? directory)
    {
        string? dir = !string.IsNullOrEmpty(directory) ? directory : Environment.GetEnvironmentVariable("VTA_BITSTREAMS");
        if (string.IsNullOrEmpty(dir))
        {
            for (var d = new DirectoryInfo(System.IO.Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            {
                string candidate = System.IO.Path.Combine(d.FullName, "bitstreams");
                if (File.Exists(System.IO.Path.Combine(candidate, FileName)))
                {
                    return Load(candidate);
                }
            }

            throw new BitstreamException("no bitstream catalogue: no bitstreams/manifest.json here or in a parent folder (set VTA_BITSTREAMS or pass the folder)");
        }

        return Load(dir);
    }

    public static BitstreamManifest Load(string directory)
    {
        string file = System.IO.Path.Combine(directory, FileName);
        if (!File.Exists(file))
        {
            return new BitstreamManifest(directory, []);
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new BitstreamException($"{file}: empty manifest");
            var entries = new List<BitstreamEntry>();
            foreach (var node in root["bitstreams"]?.AsArray() ?? [])
            {
                var o = node!.AsObject();
                string path = (string?)o["path"] ?? throw new BitstreamException($"{file}: an entry has no path");
                CheckRelative(path);
                var config = VtaConfigLoader.Parse(o["config"]?.ToJsonString() ?? throw new BitstreamException($"{file}: {path} has no config"), file);
                entries.Add(new BitstreamEntry(path, BitstreamImage.ParseKind((string?)o["kind"] ?? ""),
                    (long?)o["bytes"] ?? -1, (string?)o["sha256"] ?? "", config));
            }

            return new BitstreamManifest(directory, entries);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new BitstreamException($"{file}: not a valid manifest: {e.Message}", e);
        }
    }

    /// <summary>The entries built for <paramref name="config"/> (same TARGET, HW_VER and shape), of the given kinds.</summary>
    public IReadOnlyList<BitstreamEntry> FindFor(VtaConfig config, IReadOnlyCollection<BitstreamKind>? kinds = null) =>
        _entries.Where(e => e.Config.Equals(config) && (kinds is null || kinds.Contains(e.Kind))).ToList();

    public string FullPath(BitstreamEntry entry) => System.IO.Path.Combine(Directory, entry.Path.Replace('/', System.IO.Path.DirectorySeparatorChar));

    /// <summary>Reads an entry's file and checks its size and SHA-256 against the manifest.</summary>
    public byte[] ReadVerified(BitstreamEntry entry)
    {
        string path = FullPath(entry);
        if (!File.Exists(path))
        {
            throw new BitstreamException($"{entry.Path} is in the manifest but not in {Directory}");
        }

        byte[] bytes = File.ReadAllBytes(path);
        string sha = BitstreamImage.HashHex(bytes);
        if (bytes.Length != entry.Bytes || sha != entry.Sha256)
        {
            throw new BitstreamException($"{entry.Path}: the file ({bytes.Length} bytes, sha256 {sha}) is not the one in the manifest ({entry.Bytes} bytes, sha256 {entry.Sha256})");
        }

        return bytes;
    }

    /// <summary>Stores <paramref name="bytes"/> at the conventional path for <paramref name="config"/> and records it (replacing an entry at that path).</summary>
    public BitstreamEntry Add(byte[] bytes, VtaConfig config)
    {
        var image = BitstreamImage.Inspect(bytes);
        if (image.Config is { } carried && !carried.Equals(config))
        {
            throw new BitstreamException($"the container carries {carried.Model} (HW_VER {carried.HwVer}), not {config.Model} (HW_VER {config.HwVer})");
        }

        var entry = new BitstreamEntry(config.BitstreamPath, image.Kind, bytes.Length, image.Sha256, config);
        string full = FullPath(entry);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        AtomicFile.WriteAllBytes(full, bytes);
        _entries.RemoveAll(e => e.Path == entry.Path);
        _entries.Add(entry);
        _entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        Save();
        return entry;
    }

    public void Save()
    {
        var list = new JsonArray();
        foreach (var e in _entries)
        {
            list.Add(new JsonObject
            {
                ["path"] = e.Path,
                ["kind"] = BitstreamImage.KindName(e.Kind),
                ["bytes"] = e.Bytes,
                ["sha256"] = e.Sha256,
                ["model"] = e.Config.Model,
                ["config"] = JsonNode.Parse(VtaConfigLoader.ToJson(e.Config)),
            });
        }

        var root = new JsonObject { ["version"] = 1, ["bitstreams"] = list };
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteAllText(System.IO.Path.Combine(Directory, FileName), root.ToJsonString(s_json) + "\n");
    }

    private static void CheckRelative(string path)
    {
        if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || path.Split('/').Any(p => p is "" or "." or ".."))
        {
            throw new BitstreamException($"manifest path '{path}' must be relative, '/'-separated, without '.' or '..'");
        }
    }
}
