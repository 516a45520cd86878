using System.IO.Compression;
using System.Text.Json.Nodes;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Compiler.Programs;
using Vta.Compiler.Tests.Models;
using Vta.Frontend.Tflite;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Programs;

/// <summary>A compiled model saved as a package, loaded back and run: same integers and counters, bad files refused.</summary>
public sealed class PackageTests(ResNet8Fixture fixture) : IClassFixture<ResNet8Fixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vtapkg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ALoadedPackageRunsTheSameIntegersAndCountersAsTheCompiledModelAndThePlainExecutor()
    {
        ModelCase c = fixture.Case;
        string path = Save(c.Compiled);
        VtaPackage loaded = VtaPackage.Load(path);

        using var device = new SimDevice(VtaConfig.Default);
        ModelRunResult direct = c.Compiled.Run(device, c.Inputs);
        using var bound = new BoundProgram(loaded.Program, loaded.Graph, device);
        ModelRunResult fromFile = bound.Run(c.Inputs);

        string output = c.Compiled.Graph.Outputs[0];
        Assert.Equal(direct.Outputs[output].As<sbyte>(), fromFile.Outputs[output].As<sbyte>());
        Assert.Equal(ReferenceExecutor.Run(loaded.Graph, c.Inputs)[output].As<sbyte>(), fromFile.Outputs[output].As<sbyte>());
        Assert.Equal(direct.Counters.ToList(), fromFile.Counters.ToList());
        Assert.True(fromFile.Counters.GemmCounter > 0);
        Assert.Equal(c.Compiled.Graph.ToText(), loaded.Graph.ToText());
        Assert.Equal(c.Compiled.Program.Image, loaded.Program.Image);
    }

    [Fact]
    public void AProgramBoundTwiceAtDifferentAddressesGivesTheSameResult()
    {
        ModelCase c = fixture.Case;
        using var device = new SimDevice(VtaConfig.Default);
        DeviceBuffer spacer = device.Allocate(12345);
        using var first = new BoundProgram(c.Compiled.Program, c.Compiled.Graph, device);
        using var second = new BoundProgram(c.Compiled.Program, c.Compiled.Graph, device);
        string output = c.Compiled.Graph.Outputs[0];

        Assert.Equal(first.Run(c.Inputs).Outputs[output].As<sbyte>(), second.Run(c.Inputs).Outputs[output].As<sbyte>());
        device.Free(spacer);
    }

    [Fact]
    public void EveryModelsGraphRoundTripsThroughJson()
    {
        foreach (string model in new[] { SharedModels.ResNet8, SharedModels.MobileNetV2, "mlperf-tiny/kws_ref_model.tflite" })
        {
            Graph source = TfliteImporter.ImportFile(SharedModels.PathOf(model));
            Graph compiled = ModelCompiler.Compile(source, VtaConfig.Default).Graph;
            foreach (Graph g in new[] { source, compiled })
            {
                (JsonObject json, byte[] constants) = GraphJson.Write(g);
                Graph back = GraphJson.Read(JsonNode.Parse(json.ToJsonString())!.AsObject(), constants, model);
                Assert.Equal(g.ToText(), back.ToText());
                Assert.Equal(g.Nodes.Select(n => n.Op), back.Nodes.Select(n => n.Op));
            }
        }
    }

    [Fact]
    public void ADamagedOrForeignFileIsRefusedNamingTheFileAndThePart()
    {
        string good = Save(fixture.Case.Compiled);

        string truncated = Copy(good, "truncated.vtapkg", bytes => bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated.vtapkg", Refused(truncated), StringComparison.Ordinal);

        string notZip = Path.Combine(_dir, "model.onnx.vtapkg");
        File.WriteAllText(notZip, "not a package");
        Assert.Contains("model.onnx.vtapkg", Refused(notZip), StringComparison.Ordinal);

        Assert.Contains("image.bin does not match its sha256", Refused(Rewrite(good, "image.bin", b => { b[100] ^= 0x5A; return b; })), StringComparison.Ordinal);
        Assert.Contains("version 99", Refused(RewriteManifest(good, m => m["version"] = 99)), StringComparison.Ordinal);
        Assert.Contains("unknown op 'Frobnicate'", Refused(RewriteGraph(good, g => g["nodes"]![0]!["op"] = "Frobnicate")), StringComparison.Ordinal);
        Assert.Contains("LOG_BLOCK", Refused(RewriteManifest(good, m => m["config"]!["LOG_BLOCK"] = "x")), StringComparison.Ordinal);
        Assert.Contains("outside the", Refused(RewriteManifest(good, m => m["program"]!["arena_bytes"] = m["program"]!["image_bytes"]!.GetValue<long>() + 1)),
            StringComparison.Ordinal);
        Assert.Contains("no such file", Refused(Path.Combine(_dir, "missing.vtapkg")), StringComparison.Ordinal);
    }

    [Fact]
    public void AnInstructionPointingOutsideTheArenaIsRefusedWithItsIndex()
    {
        string good = Save(fixture.Case.Compiled);
        VtaProgramStep step = fixture.Case.Compiled.Program.Steps.OfType<VtaProgramStep>().First();
        long at = step.Chunks[0].Offset;
        var decoder = new Vta.Hardware.Isa.InsnDecoder(VtaConfig.Default);
        var encoder = new Vta.Hardware.Isa.InsnEncoder(VtaConfig.Default);
        byte[] image = fixture.Case.Compiled.Program.Image;
        int index = Enumerable.Range(0, step.Chunks[0].Count).First(i =>
            decoder.Decode(Vta.Hardware.Isa.InsnDecoder.ReadWord(image.AsSpan((int)at + (i * 16), 16))) is Vta.Hardware.Isa.MemInsn { XSize: > 0 });
        string bad = Rewrite(good, "image.bin", b =>
        {
            var m = (Vta.Hardware.Isa.MemInsn)decoder.Decode(Vta.Hardware.Isa.InsnDecoder.ReadWord(b.AsSpan((int)at + (index * 16), 16)));
            Vta.Hardware.Isa.InsnEncoder.WriteWord(b.AsSpan((int)at + (index * 16), 16), encoder.Encode(m with { DramBase = 0x0FFF_FFFF }));
            return b;
        }, fixSha: true);

        string message = Refused(bad);
        Assert.Contains($"instruction {index}", message, StringComparison.Ordinal);
        Assert.Contains("outside the", message, StringComparison.Ordinal);
    }

    private string Save(CompiledModel model)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".vtapkg");
        VtaPackage.FromModel(model, new PackageInfo("resnet8", "pretrainedResnet_quant.tflite", DateTimeOffset.UnixEpoch, "tests", null, model.Notes)).Save(path);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp*"));
        return path;
    }

    private static string Refused(string path) => Assert.Throws<PackageFormatException>(() => VtaPackage.Load(path)).Message;

    private string Copy(string from, string name, Func<byte[], byte[]> change)
    {
        string to = Path.Combine(_dir, name);
        File.WriteAllBytes(to, change(File.ReadAllBytes(from)));
        return to;
    }

    private string RewriteManifest(string from, Action<JsonNode> change) => Rewrite(from, "manifest.json", b =>
    {
        JsonNode m = JsonNode.Parse(b)!;
        change(m);
        return System.Text.Encoding.UTF8.GetBytes(m.ToJsonString());
    });

    private string RewriteGraph(string from, Action<JsonNode> change) => Rewrite(from, "graph.json", b =>
    {
        JsonNode m = JsonNode.Parse(b)!;
        change(m);
        return System.Text.Encoding.UTF8.GetBytes(m.ToJsonString());
    });

    /// <summary>A copy with one entry changed (and, if asked, the image's recorded sha256 made to match again).</summary>
    private string Rewrite(string from, string entry, Func<byte[], byte[]> change, bool fixSha = false)
    {
        string to = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".vtapkg");
        File.Copy(from, to);
        using (ZipArchive zip = ZipFile.Open(to, ZipArchiveMode.Update))
        {
            ZipArchiveEntry e = zip.GetEntry(entry)!;
            byte[] bytes;
            using (var s = new MemoryStream())
            {
                using (Stream r = e.Open())
                {
                    r.CopyTo(s);
                }

                bytes = change(s.ToArray());
            }

            e.Delete();
            using (Stream w = zip.CreateEntry(entry).Open())
            {
                w.Write(bytes);
            }

            if (fixSha)
            {
                ZipArchiveEntry me = zip.GetEntry("manifest.json")!;
                JsonNode m;
                using (Stream r = me.Open())
                {
                    m = JsonNode.Parse(r)!;
                }

                m["program"]!["image_sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
                me.Delete();
                using Stream w = zip.CreateEntry("manifest.json").Open();
                w.Write(System.Text.Encoding.UTF8.GetBytes(m.ToJsonString()));
            }
        }

        return to;
    }
}
