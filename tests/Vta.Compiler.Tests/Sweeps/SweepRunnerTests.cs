using System.Diagnostics;
using Vta.Compiler.Sweeps;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests.Sweeps;

public sealed class SweepRunnerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vta-sweep-tests-" + Guid.NewGuid().ToString("N"));

    public SweepRunnerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FilePath(string name) => Path.Combine(_dir, name);

    private static SweepDefinition Def(string target, params string[] vary) =>
        new(SweepTargets.Resolve(target), VtaConfig.Default, new SweepSpace([.. vary.Select(SweepAxis.Parse)]));

    // 6 points: LOG_BLOCK=3 cannot encode its GEMM instruction (2 failed points), the rest run.
    private static SweepDefinition SmallGrid() => Def("resnet18.C11", "LOG_BLOCK=3..5", "LOG_WGT_BUFF_SIZE=17,18");

    [Fact]
    public void InvalidPointsAreRecordedWithTheirReasonAndNeverStopTheSweep()
    {
        var def = Def("resnet18.C11", "LOG_BLOCK=3,4", "LOG_INP_BUFF_SIZE=7,15", "AXI_WIDTH=24,64");
        var result = new SweepRunner(def).Run(FilePath("bad.csv"));
        Assert.Equal(8, result.Rows.Count);
        var byKey = result.Rows.ToDictionary(r => string.Join(' ', r.Values));

        // a field overflow: the configuration itself is impossible, named by TVM's keys
        var overflow = byKey["3 15 64"];
        Assert.False(overflow.Ok);
        Assert.Equal("", overflow.Config);
        Assert.Null(overflow.Resources);
        Assert.Contains("GEMM instruction needs", overflow.Failure, StringComparison.Ordinal);
        Assert.Contains("LOG_ACC_BUFF_SIZE", overflow.Failure, StringComparison.Ordinal);

        // a timing key out of range
        Assert.StartsWith("AXI_WIDTH: 24 bits", byKey["4 15 24"].Failure, StringComparison.Ordinal);

        // a valid configuration too small for the layer: the compiler's reason, with resources still estimated
        var tiny = byKey["4 7 64"];
        Assert.Contains("resnet18.C11: no tiling fits", tiny.Failure, StringComparison.Ordinal);
        Assert.Equal("pynq_1x16_i8w8a32_15_7_18_17_axi64", tiny.Config);
        Assert.NotNull(tiny.Resources);

        var ok = byKey["4 15 64"];
        Assert.True(ok.Ok, ok.Failure);
        Assert.Equal(7L * 7 * 32 * 32 * 9, ok.Counters.GemmCounter);
        Assert.True(ok.Cycles > 0 && ok.GemmInstructions > 0 && ok.DramBytes > 0);
        Assert.Equal(ok.Cycles / 100e6, ok.Seconds, 12);
        Assert.Equal(7, result.Rows.Count(r => !r.Ok));

        // the file says the same
        var file = SweepCsv.Read(FilePath("bad.csv"));
        Assert.Equal(result.Rows.Select(r => SweepCsv.Line(r.Fields())), file.Rows.Select(r => SweepCsv.Line(r.Fields())));
    }

    [Fact]
    public void ShardedAndMergedEqualsUnsharded()
    {
        var def = SmallGrid();
        new SweepRunner(def).Run(FilePath("all.csv"));
        string[] shards = [FilePath("s0.csv"), FilePath("s1.csv"), FilePath("s2.csv")];
        for (int i = 0; i < 3; i++)
        {
            var part = new SweepRunner(def) { MaxDegreeOfParallelism = 1 }.Run(shards[i], i, 3);
            Assert.All(part.Rows, r => Assert.Equal(i, r.Index % 3));
        }

        var merged = SweepCsv.Merge([shards[2], shards[0], shards[1]], FilePath("merged.csv"));
        Assert.Equal(6, merged.Rows.Count);
        Assert.Equal(File.ReadAllText(FilePath("all.csv")), File.ReadAllText(FilePath("merged.csv")));
        Assert.Equal(2, merged.Rows.Count(r => !r.Ok));

        // a shard of another sweep is refused
        new SweepRunner(Def("resnet18.C11", "LOG_BLOCK=4")).Run(FilePath("other.csv"));
        var e = Assert.Throws<InvalidDataException>(() => SweepCsv.Merge([shards[0], FilePath("other.csv")], FilePath("bad.csv")));
        Assert.Contains("another sweep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeAfterAnInterruptionGivesTheSameFile()
    {
        var def = SmallGrid();
        string path = FilePath("sweep.csv");
        new SweepRunner(def).Run(path);
        string complete = File.ReadAllText(path);

        // an interrupted run: four whole rows, then half of the fifth
        string[] lines = complete.Split('\n');
        string cut = string.Join('\n', lines.Take(6)) + "\n" + lines[6][..(lines[6].Length / 2)];
        File.WriteAllText(path, cut);
        Assert.Equal(4, SweepCsv.Read(path).Rows.Count);

        var resumed = new SweepRunner(def).Run(path);
        Assert.Equal(4, resumed.Skipped);
        Assert.Equal(2, resumed.Evaluated);
        Assert.Equal(complete, File.ReadAllText(path));

        // a finished sweep resumes to nothing
        Assert.Equal(0, new SweepRunner(def).Run(path).Evaluated);
        Assert.Equal(complete, File.ReadAllText(path));

        // another sweep's file is never appended to
        var e = Assert.Throws<InvalidDataException>(() => new SweepRunner(Def("resnet18.C11", "LOG_BLOCK=4,5")).Run(path));
        Assert.Contains("holds another sweep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SixPointsRunWellWithinHalfAMinute()
    {
        var def = Def("resnet18.C11", "LOG_BLOCK=4,5", "LOG_WGT_BUFF_SIZE=16..18");
        var clock = Stopwatch.StartNew();
        var progress = new List<SweepProgress>();
        var result = new SweepRunner(def).Run(FilePath("fast.csv"), progress: new Collect(progress));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"6 points took {clock.Elapsed}");
        Assert.Equal(6, result.Rows.Count);
        Assert.All(result.Rows, r => Assert.True(r.Ok, r.Failure));
        Assert.Equal(7, progress.Count); // the start, then one report per point
        Assert.Equal(6, progress[^1].Done);
        Assert.Equal(TimeSpan.Zero, progress[^1].Remaining);
    }

    [Fact]
    public void CsvQuotingRoundTrips()
    {
        string[] fields = ["a,b", "say \"hi\"", "", "plain", "x\ny"];
        Assert.Equal(["a,b", "say \"hi\"", "", "plain", "x y"], SweepCsv.Split(SweepCsv.Line(fields).TrimEnd('\n')));
        Assert.Throws<InvalidDataException>(() => SweepCsv.Split("\"open"));
    }

    private sealed class Collect(List<SweepProgress> into) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => into.Add(value);
    }
}
