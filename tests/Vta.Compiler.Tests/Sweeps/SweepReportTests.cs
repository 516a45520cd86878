using Vta.Compiler.Resources;
using Vta.Compiler.Sweeps;
using Vta.Hardware.Config;
using Vta.Sim;

namespace Vta.Compiler.Tests.Sweeps;

public class SweepReportTests
{
    private static SweepRow Row(long index, long cycles, double utilization, bool[]? fits = null, string? failure = null) =>
        new(index, $"cfg{index}", [index.ToString(System.Globalization.CultureInfo.InvariantCulture)], failure, cycles, cycles / 100e6, 0.5, 1,
            new SimCounters(), new SweepResources(100, 50, 1000, 1000, utilization, "bram18", fits ?? [true, true, true, true]));

    [Fact]
    public void FrontKeepsOnlyUnbeatenPointsByUtilization()
    {
        SweepRow[] rows =
        [
            Row(0, 100, 0.9), Row(1, 80, 0.5), Row(2, 120, 0.4), Row(3, 80, 0.6), // 3 is beaten by 1 (same cycles, more resources)
            Row(4, 50, 1.5), Row(5, 60, 1.6), Row(6, 10, 0.1, failure: "no"), // 5 beaten by 4; 6 failed
        ];
        Assert.Equal(new long[] { 2, 1, 4 }, ParetoFront.Of(rows).Select(r => r.Index));
    }

    [Fact]
    public void BestPerDeviceIsTheFastestThatFits()
    {
        SweepRow[] rows = [Row(0, 100, 0.9, [true, true, true, true]), Row(1, 50, 2.0, [false, false, true, false]), Row(2, 70, 1.2, [false, true, true, false])];
        var best = ParetoFront.BestPerDevice(rows).ToDictionary(b => b.Device.Name, b => b.Best?.Index);
        Assert.Equal(0, best["xc7z020"]);
        Assert.Equal(2, best["xczu3eg"]);
        Assert.Equal(1, best["xczu7ev"]);
        Assert.Equal(0, best["5cseba6"]);
        Assert.Null(ParetoFront.BestPerDevice([rows[1]]).Single(b => b.Device.Name == "xc7z020").Best);
    }

    [Fact]
    public void ReportHoldsTheFigureTheFrontAndEachDevice()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vta-sweep-report-{Guid.NewGuid():N}.csv");
        try
        {
            var def = new SweepDefinition(SweepTargets.Resolve("resnet18.C11"), VtaConfig.Default,
                new SweepSpace([SweepAxis.Parse("LOG_BLOCK=3..5")]));
            new SweepRunner(def).Run(path);
            var file = SweepCsv.Read(path);
            string html = SweepReport.Html(file, out string renderer);
            Assert.True(html.Contains("data:image/png;base64,", StringComparison.Ordinal) || html.Contains("<svg", StringComparison.Ordinal), renderer);
            Assert.Contains("pynq_1x16_i8w8a32_15_15_18_17", html, StringComparison.Ordinal);
            Assert.Contains("pynq_1x32_i8w8a32_15_15_18_17", html, StringComparison.Ordinal);
            Assert.All(FpgaDevice.All, d => Assert.Contains(d.Part, html, StringComparison.Ordinal));
            Assert.Contains("GEMM instruction needs", html, StringComparison.Ordinal); // LOG_BLOCK=3's failure
            Assert.Equal(3, file.Rows.Count);

            var json = SweepJson.From(file);
            Assert.Equal(3, json["points"]!.GetValue<int>());
            Assert.Equal(1, json["failed"]!.GetValue<int>());
            Assert.Equal("5", json["rows"]![2]!["LOG_BLOCK"]!.ToString());
            Assert.False(json["rows"]![2]!["fits_xc7z020"]!.GetValue<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SvgFallbackDrawsEveryPointAndTheFront()
    {
        SweepPlot.Dot[] all = [new(50, 8, ""), new(80, 6, ""), new(230, 3, "")];
        SweepPlot.Dot[] front = [new(50, 8, "BLOCK=4"), new(230, 3, "BLOCK=5")];
        string svg = SweepPlot.Svg(all, front, "xc7z020");
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Equal(5, svg.Split("<circle").Length - 1);
        Assert.Contains("<polyline", svg, StringComparison.Ordinal);
        Assert.Contains("BLOCK=5", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void ScottPlotRendersAPng()
    {
        byte[] png = SweepPlot.Png([new(50, 8, ""), new(80, 6, "")], [new(50, 8, "a")], "xc7z020");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }
}
