using Vta.Compiler.Graphs;
using Vta.Compiler.Quant;

namespace Vta.Compiler.Passes;

/// <summary>The geometry a layer keeps when it becomes a <see cref="VtaConv2d"/>.</summary>
internal sealed record ConvGeometry(Size2d Strides, Pads2d Pads, int Groups, DataLayout Layout);

/// <summary>
/// One quantized conv or dense layer as <see cref="LowerQuantizedToVta"/> sees it, whichever op it was imported as
/// (TFLite-style <see cref="Conv2d"/>/<see cref="Dense"/> on quantized types, or ONNX <see cref="QLinearConv2d"/>/
/// <see cref="QLinearMatMul"/>): out_c = clamp(zo + M_c · (Σ (x − zx)(w_c − zw_c) + b_c), Min, Max) in the output's own type.
/// </summary>
/// <param name="Data">The input value (int8 or uint8, per tensor).</param>
/// <param name="Weights">Weights channel-major: OIHW for a conv, [U, K] for a dense layer.</param>
/// <param name="WeightShape">The shape of <paramref name="Weights"/>.</param>
/// <param name="WeightZeroPoints">One zero point, or one per output channel.</param>
/// <param name="Multipliers">M_c = s_x · s_w,c / s_o per output channel.</param>
/// <param name="Bias">int32 bias per output channel in accumulator units, or empty.</param>
/// <param name="Output">The value the layer produces (for a fused bias add, the add's output).</param>
/// <param name="Conv">The conv geometry, or null for a dense layer.</param>
/// <param name="Absorbed">A following node the layer replaces too (a QLinearMatMul's bias add), or null.</param>
/// <param name="Exact">The model's own requantization (kind and stacked per-channel rows, <see cref="ExactRequantization"/>), or null.</param>
internal sealed record QuantizedLayer(
    string Data,
    int[] Weights,
    Shape WeightShape,
    int[] WeightZeroPoints,
    double[] Multipliers,
    int[] Bias,
    string Output,
    int Min,
    int Max,
    ConvGeometry? Conv,
    Node? Absorbed = null,
    ExactRequant? Exact = null)
{
    public int Channels => WeightShape[0];
}

/// <summary>A layer's own requantization in the form <see cref="ExactRequantization"/> applies: rows int32 [Rows(kind), O].</summary>
internal sealed record ExactRequant(ExactRequantKind Kind, int[] Rows);
