using System.Globalization;

namespace Vta.Compiler.Graphs;

/// <summary>
/// Affine quantization of a tensor: real = scale * (q - zeroPoint). Per tensor (one scale, <see cref="Axis"/> = -1)
/// or per channel along <see cref="Axis"/> (one scale per index of that axis; zero points either one per channel
/// or a single shared one).
/// </summary>
public sealed record Quantization
{
    public Quantization(IEnumerable<float> scales, IEnumerable<int> zeroPoints, int axis)
    {
        Scales = new EquatableArray<float>(scales);
        ZeroPoints = new EquatableArray<int>(zeroPoints);
        Axis = axis;
        if (Scales.Count == 0)
        {
            throw new ArgumentException("quantization needs at least one scale");
        }
        if (ZeroPoints.Count != 1 && ZeroPoints.Count != Scales.Count)
        {
            throw new ArgumentException($"{ZeroPoints.Count} zero points for {Scales.Count} scales");
        }
        if (axis < 0 && Scales.Count != 1)
        {
            throw new ArgumentException($"{Scales.Count} scales need a quantized axis");
        }
        foreach (float s in Scales)
        {
            if (!(s > 0) || float.IsInfinity(s))
            {
                throw new ArgumentException($"quantization scale {s} is not a positive finite number");
            }
        }
    }

    public EquatableArray<float> Scales { get; }

    public EquatableArray<int> ZeroPoints { get; }

    /// <summary>The quantized axis, or -1 for per-tensor quantization.</summary>
    public int Axis { get; }

    public bool IsPerChannel => Axis >= 0;

    /// <summary>The single scale of a per-tensor quantization.</summary>
    public float Scale => IsPerChannel ? throw new InvalidOperationException("per-channel quantization has no single scale") : Scales[0];

    /// <summary>The single zero point of a per-tensor quantization (or the shared one of a per-channel one).</summary>
    public int ZeroPoint => ZeroPoints.Count == 1 ? ZeroPoints[0] : throw new InvalidOperationException("per-channel zero points");

    public static Quantization PerTensor(float scale, int zeroPoint) => new([scale], [zeroPoint], -1);

    public static Quantization PerChannel(IEnumerable<float> scales, IEnumerable<int> zeroPoints, int axis) =>
        new(scales, zeroPoints, axis);

    public float ScaleAt(int channel) => Scales.Count == 1 ? Scales[0] : Scales[channel];

    public int ZeroPointAt(int channel) => ZeroPoints.Count == 1 ? ZeroPoints[0] : ZeroPoints[channel];

    public override string ToString()
    {
        CultureInfo ci = CultureInfo.InvariantCulture;
        if (!IsPerChannel)
        {
            return string.Create(ci, $"q(s={Scales[0]}, zp={ZeroPoints[0]})");
        }
        float min = Scales.Min();
        float max = Scales.Max();
        string zp = ZeroPoints.All(z => z == ZeroPoints[0]) ? ZeroPoints[0].ToString(ci) : "per-channel";
        return string.Create(ci, $"q(axis={Axis}, {Scales.Count} scales {min}..{max}, zp={zp})");
    }
}
