using System.Globalization;

namespace Vta.Compiler.Workloads;

/// <summary>
/// Parses explicit workload specs: <c>family:key=value,…</c>. A value may be a comma-separated list (pad=0,1,0,1 is
/// top, left, bottom, right; pad=1,2 and stride=2,1 are height, width). Syntax errors are <see cref="FormatException"/>s;
/// values the hardware cannot run are refused later, by the compiler.
/// </summary>
public static class WorkloadSpecParser
{
    public static Workload Parse(string spec)
    {
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"workload spec '{spec}': expected family:key=value,… (conv2d, dense, conv2d_transpose, eltwise)");
        }

        string family = spec[..colon].Trim().ToLowerInvariant();
        var keys = ReadKeys(spec, spec[(colon + 1)..]);
        var r = new Reader(spec, keys);
        Workload w = family switch
        {
            "conv2d" => Conv2d(r),
            "dense" => new DenseWorkload(spec, r.Batch(1), r.Int("ci"), r.Int("co"), r.Int("shift", 8)),
            "conv2d_transpose" => new Conv2dTransposeWorkload(spec, r.Batch(1), r.Int("h"), r.Int("w"), r.Int("ci"), r.Int("co"),
                r.Int("k"), r.Int("pad", 0), r.Int("stride", 1), r.Int("out_pad", 0), r.Int("shift", 8)),
            "eltwise" => Elementwise(r, r.Word("op", "add")),
            "add" or "min" or "max" => Elementwise(r, family),
            _ => throw new FormatException($"workload spec '{spec}': unknown family '{family}' (conv2d, dense, conv2d_transpose, eltwise)"),
        };
        r.RejectUnused();
        return w;
    }

    private static Conv2dWorkload Conv2d(Reader r)
    {
        int kh = r.Has("k") ? r.Int("k") : r.Int("kh");
        int kw = r.Has("k") ? kh : r.Int("kw");
        int[] pad = r.List("pad", [0]);
        var padding = pad.Length switch
        {
            1 => Padding.Uniform(pad[0]),
            2 => new Padding(pad[0], pad[1], pad[0], pad[1]),
            4 => new Padding(pad[0], pad[1], pad[2], pad[3]),
            _ => throw r.Error("pad takes 1 value, 2 (height, width) or 4 (top, left, bottom, right)"),
        };
        int[] stride = r.List("stride", [1]);
        if (stride.Length > 2)
        {
            throw r.Error("stride takes 1 value or 2 (height, width)");
        }

        return new Conv2dWorkload(r.Spec, r.Batch(1), r.Int("h"), r.Int("w"), r.Int("ci"), r.Int("co"), kh, kw, padding,
            stride[0], stride[^1], r.Int("groups", 1), r.Int("dilation", 1), r.Int("shift", 8), r.Int("residual", 0) != 0);
    }

    private static ElementwiseWorkload Elementwise(Reader r, string op)
    {
        var kind = op switch
        {
            "add" => ElementwiseOp.Add,
            "min" => ElementwiseOp.Min,
            "max" => ElementwiseOp.Max,
            "none" or "shr" or "clip" => ElementwiseOp.None,
            _ => throw r.Error($"unknown element-wise op '{op}' (add, min, max, shr, clip)"),
        };
        int? lo = r.Has("lo") ? r.Int("lo") : null;
        int? hi = r.Has("hi") ? r.Int("hi") : null;
        return new ElementwiseWorkload(r.Spec, kind, r.Batch(1), r.Int("c"), r.Int("h"), r.Int("w"), r.Int("shift", 0), lo, hi);
    }

    /// <summary>Splits on commas; a bare token without '=' continues the previous key's list.</summary>
    private static Dictionary<string, List<string>> ReadKeys(string spec, string body)
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        List<string>? current = null;
        foreach (string raw in body.Split(',', StringSplitOptions.TrimEntries))
        {
            int eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (current is null || raw.Length == 0)
                {
                    throw new FormatException($"workload spec '{spec}': '{raw}' is not key=value");
                }

                current.Add(raw);
                continue;
            }

            string key = raw[..eq].Trim().ToLowerInvariant();
            key = key == "output_pad" ? "out_pad" : key;
            if (!keys.TryAdd(key, current = [raw[(eq + 1)..].Trim()]))
            {
                throw new FormatException($"workload spec '{spec}': key '{key}' given twice");
            }
        }

        return keys;
    }

    private sealed class Reader(string spec, Dictionary<string, List<string>> keys)
    {
        private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

        public string Spec { get; } = spec;

        public bool Has(string key) => keys.ContainsKey(key);

        /// <summary>n=BATCH means the configuration's batch (stored as 0); otherwise a count.</summary>
        public int Batch(int fallback)
        {
            if (keys.TryGetValue("n", out var v) && v is ["BATCH" or "batch"])
            {
                return Use("n", 0);
            }

            int n = Int("n", fallback);
            return n != 0 ? n : throw Error("n=0: write n=BATCH for the configuration's batch, or a count of at least 1");
        }

        public int Int(string key, int? fallback = null)
        {
            int[] values = List(key, fallback is { } f ? [f] : null);
            return values.Length == 1 ? values[0] : throw Error($"{key} takes one value");
        }

        public int[] List(string key, int[]? fallback)
        {
            if (!keys.TryGetValue(key, out var values))
            {
                return fallback ?? throw Error($"missing {key}=");
            }

            _used.Add(key);
            return [.. values.Select(v => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n)
                ? n : throw Error($"{key}={v} is not an integer"))];
        }

        public string Word(string key, string fallback)
        {
            if (!keys.TryGetValue(key, out var values))
            {
                return fallback;
            }

            _used.Add(key);
            return values.Count == 1 ? values[0].ToLowerInvariant() : throw Error($"{key} takes one value");
        }

        public void RejectUnused()
        {
            var unused = keys.Keys.Where(k => !_used.Contains(k)).ToList();
            if (unused.Count > 0)
            {
                throw Error($"unknown key(s) {string.Join(", ", unused)}");
            }
        }

        public FormatException Error(string message) => new($"workload spec '{Spec}': {message}");

        private int Use(string key, int value)
        {
            _used.Add(key);
            return value;
        }
    }
}
