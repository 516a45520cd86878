using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Programs;
using Vta.Compiler.Quant;
using Vta.Hardware.Config;
using Vta.Hardware.IO;
using Vta.Hardware.Isa;

namespace Vta.Compiler.Packages;

/// <summary>
/// A compiled model in one file (<c>.vtapkg</c>, a zip): <c>manifest.json</c> (format, hardware configuration, inputs
/// and outputs, notes, the program's steps and memory plan), <c>image.bin</c> (the arena's initial bytes: packed
/// weights, micro-ops and position-independent instructions), <c>graph.json</c> + <c>constants.bin</c> (the rewritten
/// graph: the CPU part, and the plain int8 reference). Loading checks everything a run relies on, so a damaged or
/// foreign file is refused with the part that is wrong, never run.
/// </summary>
public sealed class VtaPackage
{
    public const string Format = "vtapkg";
    public const int Version = 1;

    /// <summary>Entries larger than this are refused before they are read (a zip bomb or a wrong file).</summary>
    public const long MaxEntryBytes = 1L << 31;

    public VtaPackage(Graph graph, ModelProgram program, PackageInfo info)
    {
        Graph = graph;
        Program = program;
        Info = info;
    }

    /// <summary>The rewritten, partitioned graph the program runs (CPU nodes are evaluated from it).</summary>
    public Graph Graph { get; }

    public ModelProgram Program { get; }

    public PackageInfo Info { get; }

    public VtaConfig Config => Program.Config;

    public static VtaPackage FromModel(CompiledModel model, PackageInfo info) => new(model.Graph, model.Program, info);

    public void Save(string path)
    {
        (JsonObject graphJson, byte[] constants) = GraphJson.Write(Graph);
        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["model"] = Info.Model,
            ["source"] = Info.Source,
            ["created"] = Info.Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["tool"] = Info.Tool,
            ["quantization"] = Info.Quantization,
            ["notes"] = new JsonArray([.. Info.Notes.Select(n => JsonValue.Create(n))]),
            ["config"] = JsonNode.Parse(VtaConfigLoader.ToJson(Config)),
            ["inputs"] = Signature(Graph, Graph.Inputs),
            ["outputs"] = Signature(Graph, Graph.Outputs),
            ["program"] = new JsonObject
            {
                ["arena_bytes"] = Program.ArenaBytes,
                ["alignment"] = Program.Alignment,
                ["image_bytes"] = Program.Image.LongLength,
                ["image_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Program.Image)),
                ["instructions"] = Program.InstructionCount,
                ["steps"] = JsonSerializer.SerializeToNode(Program.Steps, GraphJson.Options),
            },
        };
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            Add(zip, "manifest.json", JsonBytes(manifest));
            Add(zip, "graph.json", JsonBytes(graphJson));
            Add(zip, "constants.bin", constants);
            Add(zip, "image.bin", Program.Image);
        });
    }

    public static VtaPackage Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PackageFormatException(path, "no such file");
        }

        string where = "the file";
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            where = "manifest.json";
            JsonObject manifest = JsonNode.Parse(Read(zip, "manifest.json"))?.AsObject() ?? throw new FormatException("empty");
            if ((string?)manifest["format"] != Format)
            {
                throw new FormatException($"format is '{manifest["format"]}', not '{Format}'");
            }

            if ((int?)manifest["version"] is not Version)
            {
                throw new FormatException($"version {manifest["version"]} is not supported (this tool reads version {Version})");
            }

            where = "manifest.json: config";
            VtaConfig config = VtaConfigLoader.Parse(Need(manifest, "config").ToJsonString(), path + "#config");
            var info = new PackageInfo(
                (string?)manifest["model"] ?? "model",
                (string?)manifest["source"],
                DateTimeOffset.Parse((string?)manifest["created"] ?? throw new FormatException("no 'created'"), System.Globalization.CultureInfo.InvariantCulture),
                (string?)manifest["tool"] ?? "unknown",
                (string?)manifest["quantization"],
                [.. (manifest["notes"] as JsonArray ?? []).Select(n => (string?)n ?? string.Empty)]);

            where = "graph.json";
            JsonObject graphJson = JsonNode.Parse(Read(zip, "graph.json"))?.AsObject() ?? throw new FormatException("empty");
            Graph graph = GraphJson.Read(graphJson, Read(zip, "constants.bin"), path + "#graph.json");

            where = "manifest.json: program";
            JsonNode p = Need(manifest, "program");
            byte[] image = Read(zip, "image.bin");
            if (Convert.ToHexStringLower(SHA256.HashData(image)) != (string?)p["image_sha256"])
            {
                throw new FormatException("image.bin does not match its sha256 (the file is damaged)");
            }

            ProgramStep[] steps = Need(p, "steps").Deserialize<ProgramStep[]>(GraphJson.Options) ?? throw new FormatException("no steps");
            var program = new ModelProgram(config, image, (long)Need(p, "arena_bytes"), (int)Need(p, "alignment"), steps);
            Check(program, graph, path);
            return new VtaPackage(graph, program, info);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or JsonException or InvalidOperationException or ArgumentException
            or VtaConfigException or IsaException or ProgramFormatException or GraphException or IOException)
        {
            throw new PackageFormatException(path, $"{where}: {e.Message}", e);
        }
    }

    /// <summary>Whatever a run relies on: steps name real nodes and values, regions and instructions stay in the arena.</summary>
    private static void Check(ModelProgram program, Graph graph, string path)
    {
        if (program.Alignment <= 0 || (program.Alignment & (program.Alignment - 1)) != 0 || program.ArenaBytes < program.Image.LongLength)
        {
            throw new FormatException($"alignment {program.Alignment} / arena {program.ArenaBytes} bytes do not hold the {program.Image.LongLength}-byte image");
        }

        for (int i = 0; i < program.Steps.Count; i++)
        {
            ProgramStep step = program.Steps[i];
            string at = $"step {i} ('{step.Name}')";
            void Region(long offset, PackedShape shape, int elementBytes = 1)
            {
                long end = offset + (shape.Elements * elementBytes);
                if (offset < program.Image.LongLength || end > program.ArenaBytes)
                {
                    throw new FormatException($"{at}: region [{offset}, {end}) is outside the activation space");
                }
            }

            void Value(string name)
            {
                if (!graph.Types.ContainsKey(name))
                {
                    throw new FormatException($"{at}: no value '{name}' in the graph");
                }
            }

            switch (step)
            {
                case CpuProgramStep c when !graph.Nodes.Any(n => n.Name == c.Node):
                    throw new FormatException($"{at}: no node '{c.Node}' in the graph");
                case PackProgramStep pk:
                    Value(pk.Value);
                    Region(pk.Offset, pk.Shape);
                    break;
                case UnpackProgramStep u:
                    Value(u.Value);
                    Region(u.Offset, u.Shape);
                    break;
                case PadProgramStep pd:
                    Region(pd.Source, pd.Shape);
                    Region(pd.Offset, pd.Shape.Padded(pd.Pads));
                    break;
                case WidenProgramStep w:
                    Region(w.Source, w.Shape);
                    Region(w.Offset, w.Shape, program.Config.AccWidth / 8);
                    break;
                case VtaProgramStep v:
                    Value(v.Output);
                    Region(v.OutputOffset, v.OutputShape);
                    if (v.Planes is < 1 or > ExactRequantization.MaxPlanes)
                    {
                        throw new FormatException($"{at}: {v.Planes} output planes (1 to {ExactRequantization.MaxPlanes})");
                    }

                    if (v.Planes > 1)
                    {
                        PackedShape sums = v.PlanesShape ?? v.OutputShape;
                        if (sums.Channels < v.OutputShape.Channels || sums with { Channels = v.OutputShape.Channels } != v.OutputShape)
                        {
                            throw new FormatException($"{at}: planes of {sums} do not hold the output {v.OutputShape}");
                        }

                        Region(v.PlanesOffset, sums, v.Planes);
                        if (graph.Nodes.FirstOrDefault(n => n.Name == v.Node)?.Op is not IVtaLayerOp { Exact: not null })
                        {
                            throw new FormatException($"{at}: {v.Planes} output planes, but node '{v.Node}' is not an exact VTA layer");
                        }
                    }

                    foreach (ProgramChunk chunk in v.Chunks)
                    {
                        long end = chunk.Offset + ((long)chunk.Count * VtaConfig.InsnBytes);
                        if (chunk.Offset < 0 || chunk.Count <= 0 || chunk.Offset % VtaConfig.InsnBytes != 0 || end > program.Image.LongLength)
                        {
                            throw new FormatException($"{at}: instructions [{chunk.Offset}, {end}) are outside the image");
                        }

                        ProgramRelocation.CheckInArena(program.Image.AsSpan((int)chunk.Offset, (int)(end - chunk.Offset)), chunk.Count, program.Config,
                            program.ArenaBytes, $"{path}: {at}");
                    }

                    break;
            }
        }
    }

    private static JsonArray Signature(Graph graph, IEnumerable<string> values) =>
        [.. values.Select(v => new JsonObject
        {
            ["name"] = v,
            ["dtype"] = graph.TypeOf(v).DType.Name(),
            ["shape"] = new JsonArray([.. graph.TypeOf(v).Shape.Select(d => JsonValue.Create(d))]),
        })];

    private static JsonNode Need(JsonNode node, string key) => node[key] ?? throw new FormatException($"missing '{key}'");

    private static byte[] JsonBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, new JsonSerializerOptions { WriteIndented = true });

    private static void Add(ZipArchive zip, string name, ReadOnlySpan<byte> bytes)
    {
        using Stream s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        s.Write(bytes);
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        ZipArchiveEntry entry = zip.GetEntry(name) ?? throw new FormatException($"the package has no '{name}'");
        if (entry.Length > MaxEntryBytes)
        {
            throw new FormatException($"'{name}' is {entry.Length} bytes, more than the {MaxEntryBytes} a package entry may hold");
        }

        var bytes = new byte[entry.Length];
        using Stream s = entry.Open();
        s.ReadExactly(bytes);
        return bytes;
    }
}

/// <summary>What a package says about where it came from.</summary>
public sealed record PackageInfo(string Model, string? Source, DateTimeOffset Created, string Tool, string? Quantization, IReadOnlyList<string> Notes);

/// <summary>A file that is not a usable package; the message names the file and the part that is wrong.</summary>
public sealed class PackageFormatException(string path, string reason, Exception? inner = null) : Exception($"{path}: {reason}", inner)
{
    public string PathName { get; } = path;

    public string Reason { get; } = reason;
}
