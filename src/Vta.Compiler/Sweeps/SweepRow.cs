using System.Globalization;
using Vta.Compiler.Resources;
using Vta.Hardware.Config;
using Vta.Sim;

namespace Vta.Compiler.Sweeps;

/// <summary>Estimated resources of a point: Xilinx units (BRAM18, DSP48 with two int8 products each), utilization of the sweep's device.</summary>
public sealed record SweepResources(int Bram18, int Dsps, int Luts, int FlipFlops, double Utilization, string Binding, IReadOnlyList<bool> Fits)
{
    public static SweepResources For(VtaConfig config, FpgaDevice device)
    {
        var xilinx = ResourceModel.Fit(config, FpgaDevice.Find("xc7z020"));
        var own = ResourceModel.Fit(config, device);
        return new SweepResources(xilinx.MemoryBlocks, xilinx.Dsps, xilinx.Luts, xilinx.FlipFlops, own.Utilization, own.Binding,
            [.. FpgaDevice.All.Select(d => ResourceModel.Fit(config, d).Fits)]);
    }
}

/// <summary>One line of a sweep's CSV: the point, its measurement or failure, and its resources.</summary>
public sealed record SweepRow(
    long Index,
    string Config,
    IReadOnlyList<string> Values,
    string? Failure,
    long Cycles,
    double Seconds,
    double GemmUtilization,
    long GemmInstructions,
    SimCounters Counters,
    SweepResources? Resources)
{
    private static readonly string[] s_counterNames = [.. new SimCounters().ToList().Select(kv => kv.Key)];

    public bool Ok => Failure is null;

    public long DramBytes => Counters.DramBytes;

    /// <summary>The CSV header for a sweep varying <paramref name="keys"/>.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<string> keys) =>
    [
        "index", "config", .. keys, "status", "reason", "cycles", "seconds", "gemm_utilization", "dram_bytes", "gemm_insns", .. s_counterNames,
        "bram18", "dsp", "lut", "ff", "utilization", "binding", .. FpgaDevice.All.Select(d => "fits_" + d.Name),
    ];

    public IReadOnlyList<string> Fields()
    {
        var r = Resources;
        return
        [
            N(Index), Config, .. Values, Ok ? "ok" : "failed", Failure ?? "",
            Ok ? N(Cycles) : "", Ok ? D(Seconds) : "", Ok ? D(GemmUtilization) : "", Ok ? N(DramBytes) : "", Ok ? N(GemmInstructions) : "",
            .. Counters.ToList().Select(kv => Ok ? N(kv.Value) : ""),
            r is null ? "" : N(r.Bram18), r is null ? "" : N(r.Dsps), r is null ? "" : N(r.Luts), r is null ? "" : N(r.FlipFlops),
            r is null ? "" : D(r.Utilization), r?.Binding ?? "", .. FpgaDevice.All.Select((_, i) => r is null ? "" : r.Fits[i] ? "yes" : "no"),
        ];
    }

    /// <summary>Parses fields written by <see cref="Fields"/> for a sweep varying <paramref name="keyCount"/> keys.</summary>
    public static SweepRow Parse(IReadOnlyList<string> f, int keyCount)
    {
        ArgumentNullException.ThrowIfNull(f);
        int expected = Columns(new string[keyCount]).Count;
        if (f.Count != expected)
        {
            throw new InvalidDataException($"a sweep row has {expected} fields, this one {f.Count}");
        }

        int k = 2 + keyCount;
        bool ok = f[k] == "ok";
        var counters = new SimCounters();
        int c = k + 7;
        if (ok)
        {
            counters.InpLoadNbytes = L(f[c]);
            counters.WgtLoadNbytes = L(f[c + 1]);
            counters.AccLoadNbytes = L(f[c + 2]);
            counters.UopLoadNbytes = L(f[c + 3]);
            counters.OutStoreNbytes = L(f[c + 4]);
            counters.GemmCounter = L(f[c + 5]);
            counters.AluCounter = L(f[c + 6]);
        }

        int r = c + 7;
        SweepResources? resources = f[r].Length == 0 ? null : new SweepResources((int)L(f[r]), (int)L(f[r + 1]), (int)L(f[r + 2]), (int)L(f[r + 3]),
            Dbl(f[r + 4]), f[r + 5], [.. Enumerable.Range(0, FpgaDevice.All.Count).Select(i => f[r + 6 + i] == "yes")]);
        return new SweepRow(L(f[0]), f[1], [.. f.Skip(2).Take(keyCount)], ok ? null : f[k + 1],
            ok ? L(f[k + 2]) : 0, ok ? Dbl(f[k + 3]) : 0, ok ? Dbl(f[k + 4]) : 0, ok ? L(f[k + 6]) : 0, counters, resources);
    }

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static long L(string s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
        ? v : throw new InvalidDataException($"'{s}' is not an integer");

    private static double Dbl(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
        ? v : throw new InvalidDataException($"'{s}' is not a number");
}
