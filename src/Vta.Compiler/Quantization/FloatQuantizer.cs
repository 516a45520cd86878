using Vta.Compiler.Graphs;
using Vta.Compiler.Passes;

namespace Vta.Compiler.Quant;

/// <summary>
/// Quantizes a float model for VTA the way TVM's relay.quantize does (annotate → calibrate → realize), producing the
/// graph form of a pre-quantized model so that <c>ModelCompiler.Compile</c> lowers its conv and dense layers to VTA:
/// <list type="bullet">
/// <item>prepare: fold batch norms into convs and fuse ReLUs into conv/dense/add (the ReLU becomes VTA's clip);</item>
/// <item>scales: symmetric int8 everywhere (zero point 0); weights per tensor at 2^ceil(log2 max|w|)/128 (TVM's power2
/// mode); activations at global_scale/128 (scheme tvm) or from a calibration set (percentile of |x| or the
/// KL-divergence threshold, divided by 127, rounded to a power of two unless disabled);</item>
/// <item>realize: <see cref="QuantizedGraphWriter"/>.</item>
/// </list>
/// With power-of-two scales every conv/dense multiplier s_x·s_w/s_y is a power of two, so VTA's add-shift-clip
/// requantization reproduces it exactly (rounding half up, TVM's UPWARD).
/// </summary>
public static class FloatQuantizer
{
    /// <summary>Whether <paramref name="graph"/> is a float model this quantizer takes: float32 inputs, no quantized or 8-bit values.</summary>
    public static bool IsFloatGraph(Graph graph, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string? input = graph.Inputs.FirstOrDefault(i => graph.TypeOf(i).DType != DataType.Float32 || graph.TypeOf(i).IsQuantized);
        Node? quantized = graph.Nodes.FirstOrDefault(n => n.Outputs.Any(o => graph.TypeOf(o) is { IsQuantized: true } or { DType: DataType.Int8 or DataType.UInt8 }));
        reason = input is not null ? $"input '{input}' is {graph.TypeOf(input)}, not float32; only float models are quantized"
            : quantized is not null ? $"already has quantized values (node '{quantized.Name}')"
            : null;
        return reason is null;
    }

    public static QuantizedModel Quantize(Graph floatGraph, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(floatGraph);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!IsFloatGraph(floatGraph, out string? reason))
        {
            throw new ArgumentException($"graph '{floatGraph.Name}': {reason}", nameof(floatGraph));
        }

        Graph prepared = new PassManager(new FoldBatchNorm(), new DeadCodeElimination(), new FuseRelu(), new DeadCodeElimination())
            .Run(floatGraph, new PassContext());
        List<string> notes = [];
        Func<string, float> scaleOf = options.Scheme == QuantizationScheme.Tvm
            ? _ => (float)(options.GlobalScale / 128)
            : CalibratedScales(prepared, options, notes);

        var writer = new QuantizedGraphWriter(prepared, options, scaleOf);
        Graph quantized = writer.Write();
        notes.AddRange(writer.Notes);
        return new QuantizedModel(quantized, prepared, options, writer.Layers, writer.Scales, notes);
    }

    /// <summary>The activation scale of each value from its calibration histogram: threshold / 127, power of two if asked.</summary>
    private static Func<string, float> CalibratedScales(Graph prepared, QuantizeOptions options, List<string> notes)
    {
        Dictionary<string, AbsHistogram> histograms = ActivationCalibrator.Collect(prepared, options.Calibration);
        Dictionary<string, float> scales = [];
        return value =>
        {
            if (scales.TryGetValue(value, out float known))
            {
                return known;
            }
            AbsHistogram h = histograms[value];
            double threshold = options.Scheme == QuantizationScheme.Percentile ? h.Percentile(options.Percentile) : KlThreshold.Find(h);
            if (!(threshold > 0))
            {
                notes.Add($"{value}: every calibration value is 0; global scale used");
                threshold = options.GlobalScale * 127 / 128;
            }
            double scale = threshold / 127;
            return scales[value] = (float)(options.PowerOfTwoScales ? Math.ScaleB(1.0, (int)Math.Round(Math.Log2(scale), MidpointRounding.AwayFromZero)) : scale);
        };
    }
}
