using System.Globalization;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Quant;

/// <summary>How activation scales are chosen.</summary>
public enum QuantizationScheme
{
    /// <summary>TVM's default: one global activation scale (global_scale / 128), no data needed.</summary>
    Tvm,

    /// <summary>Per-value scale from a percentile of |x| over a calibration set.</summary>
    Percentile,

    /// <summary>Per-value scale from the threshold minimizing KL divergence (TensorRT/TVM, 2048-bin histogram of |x|).</summary>
    KlDivergence,
}

/// <summary>Options of <see cref="FloatQuantizer.Quantize"/>. <see cref="Validate"/> explains what is wrong.</summary>
public sealed record QuantizeOptions
{
    public QuantizationScheme Scheme { get; init; } = QuantizationScheme.Tvm;

    /// <summary>TVM's qconfig global_scale: activations live in [−GlobalScale, GlobalScale] (Tvm scheme).</summary>
    public double GlobalScale { get; init; } = 8.0;

    /// <summary>Indices (in graph order) of convolutions kept in float, as TVM's skip_conv_layers.</summary>
    public IReadOnlyList<int> SkipConvLayers { get; init; } = [0];

    /// <summary>The percentile of |x| taken as the clipping threshold (Percentile scheme), in (0, 100].</summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>
    /// Rounds calibrated activation scales to the nearest power of two (in log2), so every requantization is a pure
    /// shift and VTA's weights are the quantized weights unchanged. When false, calibrated scales are used as they are
    /// and <see cref="VtaRequantization"/> folds each multiplier into the weights (one more rounding of every weight).
    /// </summary>
    public bool PowerOfTwoScales { get; init; } = true;

    /// <summary>TVM's rule: nothing after a global average pool is quantized (the classifier stays float on the CPU).</summary>
    public bool StopAtGlobalPool { get; init; }

    /// <summary>Input dictionaries (graph input name → float tensor) for the calibrated schemes.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, Tensor>> Calibration { get; init; } = [];

    public bool NeedsCalibration => Scheme != QuantizationScheme.Tvm;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field that is out of range or missing.</summary>
    public void Validate()
    {
        ValidateSettings();
        if (NeedsCalibration && Calibration.Count == 0)
        {
            throw new ArgumentException($"the {SchemeName(Scheme)} scheme needs calibration data (none given)", nameof(Calibration));
        }
    }

    /// <summary>Every check but the calibration data's presence (which the command line supplies apart).</summary>
    public void ValidateSettings()
    {
        if (!Enum.IsDefined(Scheme))
        {
            throw new ArgumentException($"quantization scheme {(int)Scheme} is not one of tvm, percentile, kl", nameof(Scheme));
        }
        if (!(GlobalScale > 0) || double.IsInfinity(GlobalScale))
        {
            throw new ArgumentException($"global_scale {GlobalScale} must be a positive finite number", nameof(GlobalScale));
        }
        if (!(Percentile > 0 && Percentile <= 100))
        {
            throw new ArgumentException($"percentile {Percentile} must be in (0, 100]", nameof(Percentile));
        }
        if (SkipConvLayers.Any(i => i < 0))
        {
            throw new ArgumentException($"skip_conv_layers {string.Join(",", SkipConvLayers)} has a negative index", nameof(SkipConvLayers));
        }
    }

    public static string SchemeName(QuantizationScheme scheme) => scheme switch
    {
        QuantizationScheme.Tvm => "tvm",
        QuantizationScheme.Percentile => "percentile",
        QuantizationScheme.KlDivergence => "kl",
        _ => scheme.ToString(),
    };

    /// <summary>
    /// Parses a command-line spec: <c>tvm</c>, <c>tvm:global_scale=8</c>, <c>percentile</c>, <c>percentile:99.99</c>,
    /// <c>kl</c>, with further comma-separated <c>key=value</c> settings: global_scale, percentile, skip_conv_layers
    /// (indices separated by <c>;</c> or <c>none</c>), power2 (true/false), stop_at_global_pool (true/false).
    /// Calibration data is not part of the spec.
    /// </summary>
    public static QuantizeOptions Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = spec.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        QuantizeOptions options = new()
        {
            Scheme = name switch
            {
                "tvm" => QuantizationScheme.Tvm,
                "percentile" => QuantizationScheme.Percentile,
                "kl" or "kl_divergence" => QuantizationScheme.KlDivergence,
                _ => throw new ArgumentException($"quantization '{spec}': unknown scheme '{name}' (expected tvm, percentile or kl)", nameof(spec)),
            },
        };
        if (colon < 0)
        {
            return options;
        }
        foreach (string part in text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            // A bare number is the scheme's main parameter: percentile:99.99, tvm:8.
            string key = eq < 0 ? (options.Scheme == QuantizationScheme.Tvm ? "global_scale" : "percentile") : part[..eq].Trim().ToLowerInvariant();
            string value = eq < 0 ? part : part[(eq + 1)..].Trim();
            options = key switch
            {
                "global_scale" => options with { GlobalScale = Number(spec, key, value) },
                "percentile" => options with { Percentile = Number(spec, key, value) },
                "skip_conv_layers" => options with { SkipConvLayers = Indices(spec, value) },
                "power2" => options with { PowerOfTwoScales = Flag(spec, key, value) },
                "stop_at_global_pool" => options with { StopAtGlobalPool = Flag(spec, key, value) },
                _ => throw new ArgumentException($"quantization '{spec}': unknown setting '{key}' (known: global_scale, percentile, skip_conv_layers, power2, stop_at_global_pool)", nameof(spec)),
            };
        }
        if (options.Scheme != QuantizationScheme.Percentile && options.Percentile != new QuantizeOptions().Percentile)
        {
            throw new ArgumentException($"quantization '{spec}': percentile applies only to the percentile scheme", nameof(spec));
        }
        try
        {
            options.ValidateSettings();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"quantization '{spec}': {e.Message}", nameof(spec), e);
        }
        return options;
    }

    private static double Number(string spec, string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new ArgumentException($"quantization '{spec}': {key} '{value}' is not a number", nameof(spec));

    private static bool Flag(string spec, string key, string value) =>
        bool.TryParse(value, out bool v) ? v : throw new ArgumentException($"quantization '{spec}': {key} '{value}' is not true or false", nameof(spec));

    private static int[] Indices(string spec, string value) =>
        value.Equals("none", StringComparison.OrdinalIgnoreCase)
            ? []
            : [.. value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v =>
                int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i >= 0
                    ? i
                    : throw new ArgumentException($"quantization '{spec}': skip_conv_layers entry '{v}' is not a non-negative integer", nameof(spec)))];

    public override string ToString() =>
        FormattableString.Invariant($"{SchemeName(Scheme)}: global_scale={GlobalScale}, skip_conv_layers=[{string.Join(",", SkipConvLayers)}]")
        + (Scheme == QuantizationScheme.Percentile ? FormattableString.Invariant($", percentile={Percentile}") : string.Empty)
        + FormattableString.Invariant($", power2={PowerOfTwoScales}, stop_at_global_pool={StopAtGlobalPool}, {Calibration.Count} calibration inputs");
}
