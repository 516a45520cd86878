namespace Vta.Compiler.Cpu;

/// <summary>
/// TFLite's (gemmlowp's) integer requantization arithmetic, reproduced bit for bit: a real multiplier becomes
/// a Q0.31 significand and a power-of-two shift; values are scaled with a rounding doubling high multiply and
/// a rounding right shift. C's wrapping int32 arithmetic is kept with unchecked operations.
/// </summary>
public static class FixedPoint
{
    /// <summary>
    /// TFLite's real multiplier s_x·s_w/s_y: legacy kernels (uint8 convs, per-tensor dense) take the float32 product of the
    /// two input scales, the per-channel int8 ones compute in double.
    /// </summary>
    public static double RealMultiplier(float inputScale, float weightScale, float outputScale, bool floatProduct) =>
        floatProduct ? (double)(inputScale * weightScale) / outputScale : (double)inputScale * weightScale / outputScale;

    /// <summary>
    /// Splits a non-negative real multiplier into (multiplier, shift) with real = multiplier * 2^(shift - 31)
    /// and multiplier in [2^30, 2^31) (TFLite QuantizeMultiplier; positive shift = left shift).
    /// </summary>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double realMultiplier)
    {
        if (realMultiplier < 0 || double.IsNaN(realMultiplier) || double.IsInfinity(realMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(realMultiplier), realMultiplier, "multiplier must be finite and non-negative");
        }
        if (realMultiplier == 0)
        {
            return (0, 0);
        }
        (double q, int shift) = Frexp(realMultiplier);
        long qFixed = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (qFixed == 1L << 31)
        {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31)
        {
            // Every bit would be shifted out: TFLite uses a zero multiplier instead of an over-wide shift.
            return (0, 0);
        }
        return ((int)qFixed, shift);
    }

    /// <summary>(a * b * 2) >> 32 rounded to nearest, saturating the one overflow case (ARM VQRDMULH).</summary>
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == b && a == int.MinValue)
        {
            return int.MaxValue;
        }
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1 << 30 : 1 - (1 << 30);
        return (int)((ab + nudge) / (1L << 31)); // C division truncates toward zero, as does C#'s
    }

    /// <summary>x / 2^exponent rounded to nearest, ties away from zero (gemmlowp RoundingDivideByPOT).</summary>
    public static int RoundingDivideByPot(int x, int exponent)
    {
        if (exponent < 0 || exponent > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "shift must be in 0..31");
        }
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>x * real multiplier, as TFLite's MultiplyByQuantizedMultiplier (left shift first, then the rounding right shift).</summary>
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return RoundingDivideByPot(SaturatingRoundingDoublingHighMul(unchecked(x * (1 << leftShift)), multiplier), rightShift);
    }

    /// <summary>Saturating left shift by a constant (gemmlowp SaturatingRoundingMultiplyByPOT with a positive exponent).</summary>
    public static int SaturatingShiftLeft(int x, int exponent)
    {
        int threshold = (1 << (31 - exponent)) - 1;
        if (x > threshold)
        {
            return int.MaxValue;
        }
        if (x < -threshold)
        {
            return int.MinValue;
        }
        return x << exponent;
    }

    /// <summary>gemmlowp SaturatingRoundingMultiplyByPOT: left shift saturating, or right shift rounding.</summary>
    public static int MultiplyByPot(int x, int exponent) =>
        exponent > 0 ? SaturatingShiftLeft(x, exponent) : exponent < 0 ? RoundingDivideByPot(x, -exponent) : x;

    /// <summary>C's frexp for a positive finite double: value = fraction * 2^exponent, fraction in [0.5, 1).</summary>
    public static (double Fraction, int Exponent) Frexp(double value)
    {
        int exponent = Math.ILogB(value) + 1;
        return (Math.ScaleB(value, -exponent), exponent);
    }

    /// <summary>TfLiteRound / std::round: half away from zero.</summary>
    public static int RoundToInt(float value) => (int)MathF.Round(value, MidpointRounding.AwayFromZero);
}
