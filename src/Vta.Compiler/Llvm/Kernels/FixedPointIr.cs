namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// <see cref="Cpu.FixedPoint"/> as IR, operation for operation, so generated kernels round exactly as the managed
/// ones: the doubling high multiply through i64, the rounding right shift with its mask and threshold. Shift counts
/// are masked to 0..31 as C# masks them. Works on scalars; the loop vectorizer widens it.
/// </summary>
internal static class FixedPointIr
{
    /// <summary>SaturatingRoundingDoublingHighMul(a, b) on i32 values.</summary>
    public static IrValue DoublingHighMul(IrModule m, IrValue a, IrValue b)
    {
        IrValue ab = m.Mul(m.SExt(a, m.I64), m.SExt(b, m.I64));
        IrValue nudge = m.Select(m.ICmp(IntCompare.Sge, ab, m.I64Const(0)), m.I64Const(1 << 30), m.I64Const(1 - (1 << 30)));
        IrValue quotient = m.Trunc(m.SDiv(m.Add(ab, nudge), m.I64Const(1L << 31)), m.I32);
        IrValue min = m.I32Const(int.MinValue);
        IrValue overflow = m.And(m.ICmp(IntCompare.Eq, a, min), m.ICmp(IntCompare.Eq, b, min));
        return m.Select(overflow, m.I32Const(int.MaxValue), quotient);
    }

    /// <summary>RoundingDivideByPot(x, exponent): x / 2^exponent rounded half away from zero.</summary>
    public static IrValue RoundingDivideByPot(IrModule m, IrValue x, IrValue exponent)
    {
        IrValue e = m.And(exponent, m.I32Const(31));
        IrValue mask = m.Sub(m.Shl(m.I32Const(1), e), m.I32Const(1));
        IrValue remainder = m.And(x, mask);
        IrValue negative = m.ICmp(IntCompare.Slt, x, m.I32Const(0));
        IrValue threshold = m.Add(m.AShr(mask, m.I32Const(1)), m.Select(negative, m.I32Const(1), m.I32Const(0)));
        IrValue roundUp = m.Select(m.ICmp(IntCompare.Sgt, remainder, threshold), m.I32Const(1), m.I32Const(0));
        return m.Add(m.AShr(x, e), roundUp);
    }

    /// <summary>MultiplyByQuantizedMultiplier(x, multiplier, shift): left shift, doubling high multiply, rounding right shift.</summary>
    public static IrValue MultiplyByQuantizedMultiplier(IrModule m, IrValue x, IrValue multiplier, IrValue shift)
    {
        IrValue zero = m.I32Const(0);
        IrValue positive = m.ICmp(IntCompare.Sgt, shift, zero);
        IrValue left = m.Select(positive, shift, zero);
        IrValue right = m.Select(positive, zero, m.Sub(zero, shift));
        IrValue scaled = m.Mul(x, m.Shl(m.I32Const(1), m.And(left, m.I32Const(31))));
        return RoundingDivideByPot(m, DoublingHighMul(m, scaled, multiplier), right);
    }

    /// <summary>SaturatingShiftLeft(x, exponent) for a constant exponent in 1..30.</summary>
    public static IrValue SaturatingShiftLeft(IrModule m, IrValue x, int exponent)
    {
        int threshold = (1 << (31 - exponent)) - 1;
        IrValue shifted = m.Shl(x, m.I32Const(exponent));
        IrValue low = m.Select(m.ICmp(IntCompare.Slt, x, m.I32Const(-threshold)), m.I32Const(int.MinValue), shifted);
        return m.Select(m.ICmp(IntCompare.Sgt, x, m.I32Const(threshold)), m.I32Const(int.MaxValue), low);
    }

    /// <summary>FixedPointExp.OneOverOnePlusXForXIn01: 1 / (1 + a), Newton-Raphson in three steps, step for step.</summary>
    public static IrValue OneOverOnePlusX(IrModule m, IrValue a)
    {
        // RoundingHalfSum(a, int.MaxValue) in i64: (sum ± 1) / 2, truncating.
        IrValue sum = m.Add(m.SExt(a, m.I64), m.I64Const(int.MaxValue));
        IrValue sign = m.Select(m.ICmp(IntCompare.Sge, sum, m.I64Const(0)), m.I64Const(1), m.I64Const(-1));
        IrValue halfDenominator = m.Trunc(m.SDiv(m.Add(sum, sign), m.I64Const(2)), m.I32);
        IrValue x = m.Add(m.I32Const(1515870810), DoublingHighMul(m, halfDenominator, m.I32Const(-1010580540)));
        for (int i = 0; i < 3; i++)
        {
            IrValue oneMinus = m.Sub(m.I32Const(1 << 29), DoublingHighMul(m, halfDenominator, x));
            x = m.Add(x, SaturatingShiftLeft(m, DoublingHighMul(m, x, oneMinus), 2));
        }
        return SaturatingShiftLeft(m, x, 1);
    }

    /// <summary>Requantizes an i32 accumulator: fixed-point multiply, add the output zero point, clamp.</summary>
    public static IrValue Requantize(IrModule m, IrValue acc, IrValue multiplier, IrValue shift, IrValue zeroPoint, IrValue min, IrValue max) =>
        m.SClamp(m.Add(MultiplyByQuantizedMultiplier(m, acc, multiplier, shift), zeroPoint), min, max);
}
