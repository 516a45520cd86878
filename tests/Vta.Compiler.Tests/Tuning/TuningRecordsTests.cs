using System.Text.Json.Nodes;
using Vta.Compiler.Running;
using Vta.Compiler.Tests.Infrastructure;
using Vta.Compiler.Tiling;
using Vta.Compiler.Tuning;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests.Tuning;

public sealed class TuningRecordsTests : IDisposable
{
    private const string Conv = "conv2d:n=1,h=14,w=14,ci=64,co=64,k=3,pad=1";
    private const string Dense = "dense:n=1,ci=256,co=64";
    private readonly string _dir = Directory.CreateTempSubdirectory("vta-tuning-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Records for <see cref="Conv"/> only, with a tiling the default policy would not choose.</summary>
    private static (TuningRecords Records, ConvTiling Tiling) NonDefaultRecord(VtaConfig config)
    {
        var task = TilingTunerTests.Tasks(config, Conv)[0];
        var tiling = CandidateSampler.Candidates(task, config, 4, seed: 1, out _)[^1];
        var records = new TuningRecords(config.Model, ConfigFingerprint.Of(config), "test", 4, 1,
            [new TuningRecord(task.Key, task.Workload, task.Layers, 1, tiling, 100, tiling with { AccBuffers = 1 }, 120, 4, 50)]);
        return (records, tiling);
    }

    [Fact]
    public void RecordsRoundTripThroughTheFile()
    {
        var config = VtaConfig.Default;
        var result = new TilingTuner(config, new TuningOptions { Trials = 3 }).Tune(TilingTunerTests.Tasks(config, Conv, Dense, "resnet18.C11"));
        var records = result.ToRecords("ops:test");
        string path = Path.Combine(_dir, "records.json");
        records.Save(path);
        var loaded = TuningRecords.Load(path);

        Assert.Equal(records.ToJson().ToJsonString(), loaded.ToJson().ToJsonString());
        Assert.Equal(path, loaded.File);
        Assert.Equal(config.Model, loaded.ConfigName);
        Assert.Equal(3, loaded.Records.Count);
        for (int i = 0; i < 3; i++)
        {
            var (r, l) = (loaded.Records[i], result.Layers[i]);
            Assert.Equal(l.Task.Key, r.Key);
            Assert.Equal(l.BestTiling, r.Tiling);
            Assert.Equal(l.Best.Cycles, r.Cycles);
            Assert.Equal(l.DefaultTiling, r.DefaultTiling);
            Assert.Equal(l.Default.Cycles, r.DefaultCycles);
            Assert.Same(r, loaded.Find(r.Key));
        }

        Assert.Equal(["records.json"], Directory.GetFiles(_dir).Select(Path.GetFileName)); // no temporary file left
    }

    [Fact]
    public void ThePolicyPicksTheRecordFallsBackOtherwiseAndTheTunedPlanIsBitExact()
    {
        var config = VtaConfig.Default;
        var (records, tiling) = NonDefaultRecord(config);
        var policy = records.PolicyFor(config);

        var conv = OpRunner.Run(WorkloadCatalog.Resolve(Conv), config, seed: 4, policy: policy);
        Assert.Equal(tiling, conv.Tiling);
        Assert.True(conv.Passed, $"{conv.Mismatches} mismatches with the recorded tiling {tiling}");

        var dense = OpRunner.Run(WorkloadCatalog.Resolve(Dense), config, seed: 4, policy: policy);
        var plan = ((ConvOp)OpCompiler.Compile(WorkloadCatalog.Resolve(Dense), config)).Plan;
        Assert.Equal(DefaultTilingPolicy.Instance.Choose(plan.Problem, plan.Epilogue, config), dense.Tiling);
        Assert.True(dense.Passed);
        Assert.Equal((1, 1), (policy.Hits, policy.Misses));
    }

    [Fact]
    public void RecordsOfAnotherConfigurationAreRefusedNamingBoth()
    {
        var (records, _) = NonDefaultRecord(VtaConfig.Default);
        var other = TestConfigs.Get("1x8");
        var e = Assert.Throws<InvalidDataException>(() => records.PolicyFor(other));
        Assert.Contains(VtaConfig.Default.Model, e.Message, StringComparison.Ordinal);
        Assert.Contains(other.Model, e.Message, StringComparison.Ordinal);

        // Same model name, another hardware version: only the fingerprint tells them apart.
        var sameName = VtaConfig.Create(hwVer: "0.0.1");
        Assert.Equal(VtaConfig.Default.Model, sameName.Model);
        var f = Assert.Throws<InvalidDataException>(() => records.PolicyFor(sameName));
        Assert.Contains(ConfigFingerprint.Of(sameName), f.Message, StringComparison.Ordinal);
        Assert.Contains(records.Fingerprint, f.Message, StringComparison.Ordinal);

        var policy = new RecordedTilingPolicy(records);
        var plan = ((ConvOp)OpCompiler.Compile(WorkloadCatalog.Resolve(Conv), other)).Plan;
        Assert.Throws<InvalidDataException>(() => policy.Choose(plan.Problem, plan.Epilogue, other));
    }

    [Fact]
    public void ARecordWhoseTilingDoesNotFitItsLayerIsRefusedNamingTheFile()
    {
        var config = VtaConfig.Default;
        var (records, tiling) = NonDefaultRecord(config);
        string path = Path.Combine(_dir, "edited.json");
        var json = records.ToJson();
        json["records"]![0]!["tiling"]!["out_blocks"] = 3; // 4 output blocks: 3 does not divide them
        File.WriteAllText(path, json.ToJsonString());
        var policy = TuningRecords.Load(path).PolicyFor(config);
        var plan = ((ConvOp)OpCompiler.Compile(WorkloadCatalog.Resolve(Conv), config)).Plan;

        var e = Assert.Throws<InvalidDataException>(() => policy.Choose(plan.Problem, plan.Epilogue, config));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains((tiling with { OutBlocks = 3 }).ToString(), e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "{ not json", "not valid JSON" },
        { """{"schema":"vta-tuning-records/9"}""", "schema: 'vta-tuning-records/9'" },
        { """{"schema":"vta-tuning-records/1","config":{"name":"x"},"records":[]}""", "config.fingerprint: missing or not a string" },
        { Mutate(o => o["records"]![0]!.AsObject().Remove("cycles")), "records[0].cycles: missing" },
        { Mutate(o => o["records"]![0]!["tiling"]!["order"] = "sideways"), "records[0].tiling.order: 'sideways'" },
        { Mutate(o => o["records"]![0]!["default_tiling"]!["acc_buffers"] = 3), "records[0].default_tiling.acc_buffers: 3" },
        { Mutate(o => o["records"]![0]!["tiling"]!["rows"] = 0), "records[0].tiling.rows: missing or not an integer ≥ 1" },
        { Mutate(o => o["records"]!.AsArray().Add(o["records"]![0]!.DeepClone())), "records[1].key: the same key as records[0]" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadFilesAreRefusedNamingTheFileAndField(string text, string message)
    {
        string path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InvalidDataException>(() => TuningRecords.Load(path));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsRefusedNamingIt()
    {
        string path = Path.Combine(_dir, "missing.json");
        var e = Assert.Throws<FileNotFoundException>(() => TuningRecords.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    private static string Mutate(Action<JsonObject> change)
    {
        var json = NonDefaultRecord(VtaConfig.Default).Records.ToJson();
        change(json);
        return json.ToJsonString();
    }
}
