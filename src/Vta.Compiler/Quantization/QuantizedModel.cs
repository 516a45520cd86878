using Vta.Compiler.Graphs;

namespace Vta.Compiler.Quant;

/// <summary>
/// The scales of one quantized conv2d or dense: out_int8 = clamp(round(acc · <see cref="Multiplier"/>)) with
/// acc = Σ x_int8 · w_int8 + bias_int32 and Multiplier = InputScale · WeightScale / OutputScale. A power of two
/// means VTA's requantization is a pure right shift (see <see cref="IsPowerOfTwo"/>).
/// </summary>
public sealed record LayerQuantization(string Node, string Kind, float InputScale, float WeightScale, float OutputScale)
{
    public double Multiplier => (double)InputScale * WeightScale / OutputScale;

    public bool IsPowerOfTwo => IsPowerOfTwoValue(Multiplier);

    public static bool IsPowerOfTwoValue(double value) =>
        value > 0 && double.IsFinite(value) && Math.ScaleB(value, -Math.ILogB(value)) == 1.0;

    public override string ToString() =>
        FormattableString.Invariant($"{Node} ({Kind}): s_x={InputScale:G6} s_w={WeightScale:G6} s_y={OutputScale:G6} M={Multiplier:G6}")
        + (IsPowerOfTwo ? FormattableString.Invariant($" = 2^{Math.ILogB(Multiplier)}") : string.Empty);
}

/// <summary>
/// The result of <see cref="FloatQuantizer.Quantize"/>: the quantized graph (same inputs and outputs as the float
/// model, float at both ends, in the form the TFLite importer produces so <c>ModelCompiler.Compile</c> lowers its
/// conv and dense layers to VTA), the float graph it was derived from (batch norms folded, ReLUs fused), the scales
/// of every quantized layer and value, and notes on what stayed float and why.
/// </summary>
public sealed record QuantizedModel(
    Graph Graph,
    Graph FloatGraph,
    QuantizeOptions Options,
    IReadOnlyList<LayerQuantization> Layers,
    IReadOnlyDictionary<string, float> ActivationScales,
    IReadOnlyList<string> Notes)
{
    public override string ToString() =>
        $"{Graph.Name} quantized ({QuantizeOptions.SchemeName(Options.Scheme)}): {Layers.Count} int8 conv/dense layers, " +
        $"{ActivationScales.Count} int8 values, {Notes.Count} notes";
}
