using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Vta.Compiler.Graphs;
using Vta.Compiler.Reports;
using Vta.Hardware.Config;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Compiler.Tests.Reports;

/// <summary>The run report of ResNet-8: its figures against the device's own totals, and both written forms.</summary>
public class RunReportTests(ReportRuns runs) : IClassFixture<ReportRuns>
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void PerLayerCountersSumToTheRunAndTheDeviceTotals()
    {
        RunReport report = RunReport.Build(runs.Model, runs.Timed, "timing");
        Assert.Equal(runs.Timed.Layers.Count, report.Layers.Count);
        var sum = new SimCounters();
        foreach (LayerRow row in report.Layers)
        {
            sum.Add(row.Counters);
        }

        Assert.Equal(runs.DeviceCounters.ToList(), sum.ToList());
        Assert.Equal(runs.DeviceCounters.ToList(), report.Counters.ToList());
        Assert.All(report.Layers.Where(l => l.Target == ExecutionTarget.Cpu), l => Assert.All(l.Counters.ToList(), kv => Assert.Equal(0, kv.Value)));
        // Each GEMM micro-op does BATCH × BLOCK_IN × BLOCK_OUT MACs: the simulator's count against the compiler's MACs.
        VtaConfig c = runs.Model.Config;
        Assert.All(report.VtaLayers, l => Assert.Equal(l.Macs, l.Counters.GemmCounter * c.Batch * c.BlockIn * c.BlockOut));
    }

    [Fact]
    public void PerLayerTimingDeltasSumToTheDevicesTotal()
    {
        RunReport report = RunReport.Build(runs.Model, runs.Timed, "timing");
        TimingReport device = runs.DeviceTotal;
        Assert.True(device.Cycles > 0);
        Assert.All(report.Layers.Where(l => l.Target == ExecutionTarget.Cpu), l => Assert.Null(l.Timing));
        Assert.All(report.VtaLayers, l => Assert.True(l.Cycles > 0, $"{l.Name} has no cycles"));
        Assert.Equal(device.Cycles, report.VtaLayers.Sum(l => l.Cycles!.Value));
        Assert.Equal(device.GemmUsefulCycles, report.VtaLayers.Sum(l => l.Timing!.GemmUsefulCycles));
        Assert.Equal(device.Runs, report.VtaLayers.Sum(l => l.Timing!.Runs));
        foreach (TimingUnit unit in Enum.GetValues<TimingUnit>())
        {
            Assert.Equal(device.Unit(unit), report.VtaLayers.Select(l => l.Timing!.Unit(unit)).Aggregate((a, b) => a.Add(b)));
        }

        Assert.Equal(device.ToList(), report.Timing!.ToList());
        // Each layer's delta is a whole report: every module's states add up to the layer's cycles.
        Assert.All(report.VtaLayers, l => Assert.All(l.Timing!.Units, u => Assert.Equal(l.Cycles, u.Total)));
    }

    [Fact]
    public void MinusUndoesAdd()
    {
        TimingReport total = runs.DeviceTotal;
        TimingReport first = runs.Timed.Layers.First(l => l.Timing is not null).Timing!;
        TimingReport rest = total.Minus(first);
        Assert.Equal(total.ToList(), first.Add(rest).ToList());
        Assert.Equal(total.Cycles - first.Cycles, rest.Cycles);
        Assert.Throws<ArgumentException>(() => first.Minus(total));
    }

    [Fact]
    public void HtmlHasOneRowPerLayerAndDecodablePngs()
    {
        RunReport report = RunReport.Build(runs.Model, runs.Timed, "timing");
        string path = TempFile(".html");
        try
        {
            RunReportWriter.Write(report, path);
            string html = File.ReadAllText(path);
            Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
            string table = LayerTableHtml(html);
            Assert.Equal(report.Layers.Count + 1, Regex.Matches(table, "<tr>").Count);
            Assert.All(report.Layers, l => Assert.Contains($"<td class=\"l\">{System.Net.WebUtility.HtmlEncode(l.Name)}</td>", table, StringComparison.Ordinal));
            var images = Regex.Matches(html, "data:image/png;base64,([A-Za-z0-9+/=]+)").Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
            Assert.Equal(2, images.Count);
            AssertPng(images[0], ModuleCyclesChart.Width);
            AssertPng(images[1], RooflineChart.Width);
            Assert.Contains("GEMM utilization", html, StringComparison.Ordinal);
            Assert.DoesNotContain("does not model time", html, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MarkdownTablesHaveTheRightColumnsAndFiguresBesideIt()
    {
        RunReport report = RunReport.Build(runs.Model, runs.Timed, "timing");
        string path = TempFile(".md");
        var figures = new[] { "cycles", "roofline" }.Select(s => Path.ChangeExtension(path, null) + "." + s + ".png").ToList();
        try
        {
            RunReportWriter.Write(report, path);
            string[] lines = File.ReadAllLines(path);
            string header = "| " + string.Join(" | ", RunReportContent.LayerHeaders) + " |";
            int at = Array.IndexOf(lines, header);
            Assert.True(at >= 0, "no per-layer table header");
            Assert.Equal(RunReportContent.LayerHeaders.Count, Cells(lines[at + 1]).Length);
            string[] rows = [.. lines.Skip(at + 2).TakeWhile(l => l.StartsWith('|'))];
            Assert.Equal(report.Layers.Count, rows.Length);
            Assert.All(rows, r => Assert.Equal(RunReportContent.LayerHeaders.Count, Cells(r).Length));
            Assert.Equal(report.Layers.Select(l => l.Name), rows.Select(r => Cells(r)[1]));
            Assert.Contains(lines, l => l == "| counter | value | unit | meaning |");
            foreach (var (name, _, _) in RunReportContent.Counters)
            {
                Assert.Contains(lines, l => l.StartsWith($"| {name} | ", StringComparison.Ordinal));
            }

            foreach (string figure in figures)
            {
                Assert.Contains($"]({Path.GetFileName(figure)})", string.Join('\n', lines), StringComparison.Ordinal);
                AssertPng(File.ReadAllBytes(figure), null);
            }
        }
        finally
        {
            File.Delete(path);
            figures.ForEach(File.Delete);
        }
    }

    [Fact]
    public void WithoutTimingTheReportHasCountersOnlyAndSaysSo()
    {
        RunReport report = RunReport.Build(runs.Model, runs.Untimed, "sim");
        Assert.False(report.HasTiming);
        Assert.All(report.Layers, l => Assert.Null(l.Timing));
        Assert.Equal(runs.DeviceCounters.ToList(), report.Counters.ToList());
        string path = TempFile(".html");
        try
        {
            RunReportWriter.Write(report, path);
            string html = File.ReadAllText(path);
            Assert.Contains("does not model time", html, StringComparison.Ordinal);
            Assert.Equal(report.Layers.Count + 1, Regex.Matches(LayerTableHtml(html), "<tr>").Count);
            // Only the roofline (layers on their bound); no chart of cycles.
            var images = Regex.Matches(html, "data:image/png;base64,([A-Za-z0-9+/=]+)").Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
            AssertPng(Assert.Single(images), RooflineChart.Width);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnUnwritablePathGivesAClearErrorAndLeavesNoFile()
    {
        RunReport report = RunReport.Build(runs.Model, runs.Untimed, "sim");
        string dir = Directory.CreateTempSubdirectory("vta-report-").FullName;
        try
        {
            // A folder that does not exist, in both formats: nothing is written.
            foreach (string name in new[] { "r.html", "r.md" })
            {
                string missing = Path.Combine(dir, "no-such-folder", name);
                var e = Assert.Throws<IOException>(() => RunReportWriter.Write(report, missing));
                Assert.Contains(missing, e.Message, StringComparison.Ordinal);
            }

            // A path that is a folder: the temporary file is written, the rename fails and the temporary file is removed.
            string folder = Path.Combine(dir, "taken.html");
            Directory.CreateDirectory(folder);
            var taken = Assert.Throws<IOException>(() => RunReportWriter.Write(report, folder));
            Assert.Contains(folder, taken.Message, StringComparison.Ordinal);
            Assert.Equal([folder], Directory.GetFileSystemEntries(dir));
            Assert.Empty(Directory.GetFileSystemEntries(folder));

            var bad = Assert.Throws<ArgumentException>(() => RunReportWriter.Write(report, Path.Combine(dir, "r.pdf")));
            Assert.Contains("r.pdf", bad.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string TempFile(string extension) => Path.Combine(Path.GetTempPath(), $"vta-report-{Guid.NewGuid():N}{extension}");

    private static string LayerTableHtml(string html)
    {
        int start = html.IndexOf("<table class=\"layers\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no per-layer table");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static string[] Cells(string line) => [.. Regex.Split(line.Trim().Trim('|'), @"(?<!\\)\|").Select(c => c.Trim())];

    /// <summary>The PNG signature, then the IHDR chunk's width (big-endian at byte 16) and a non-zero height.</summary>
    private static void AssertPng(byte[] png, int? width)
    {
        Assert.True(png.Length > 1000, $"a PNG of {png.Length} bytes");
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        int w = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), h = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        if (width is { } expected)
        {
            Assert.Equal(expected, w);
        }

        Assert.True(w > 0 && h > 0, $"{w}×{h}");
    }
}
