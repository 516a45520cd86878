namespace Vta.Compiler.Cpu;

/// <summary>
/// gemmlowp's fixed-point exp and reciprocal on raw int32 values, as TFLite's quantized softmax uses them.
/// A value with k integer bits has raw = real * 2^(31 - k).
/// </summary>
public static class FixedPointExp
{
    /// <summary>exp(a) for a &lt;= 0 given with <paramref name="integerBits"/> integer bits; result has 0 integer bits.</summary>
    public static int ExpOnNegativeValues(int a, int integerBits)
    {
        int fractionalBits = 31 - integerBits;
        int oneQuarter = 1 << (fractionalBits - 2);
        int mask = oneQuarter - 1;
        int aModQuarterMinusOneQuarter = unchecked((a & mask) - oneQuarter);
        int result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(FixedPoint.MultiplyByPot(aModQuarterMinusOneQuarter, integerBits));
        int remainder = unchecked(aModQuarterMinusOneQuarter - a);

        // Barrel shifter: multiply by exp(-2^k) for every bit k of the remaining whole quarters.
        ReadOnlySpan<int> multipliers = [1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242];
        for (int i = 0; i < multipliers.Length; i++)
        {
            int exponent = i - 2;
            if (integerBits > exponent)
            {
                int shiftAmount = fractionalBits + exponent;
                if ((remainder & (1 << shiftAmount)) != 0)
                {
                    result = FixedPoint.SaturatingRoundingDoublingHighMul(result, multipliers[i]);
                }
            }
        }
        if (integerBits > 5)
        {
            int clamp = -(1 << (36 - integerBits)); // -32 in the input format
            if (a < clamp)
            {
                result = 0;
            }
        }
        return a == 0 ? int.MaxValue : result;
    }

    /// <summary>1 / (1 + a) for a in [0, 1), 0 integer bits in and out (Newton-Raphson, three steps).</summary>
    public static int OneOverOnePlusXForXIn01(int a)
    {
        int halfDenominator = RoundingHalfSum(a, int.MaxValue);
        const int Constant48Over17 = 1515870810;     // 48/17 with 2 integer bits
        const int ConstantNeg32Over17 = -1010580540; // -32/17 with 2 integer bits
        const int OneWith2IntegerBits = 1 << 29;
        int x = unchecked(Constant48Over17 + FixedPoint.SaturatingRoundingDoublingHighMul(halfDenominator, ConstantNeg32Over17));
        for (int i = 0; i < 3; i++)
        {
            int halfDenominatorTimesX = FixedPoint.SaturatingRoundingDoublingHighMul(halfDenominator, x);
            int oneMinus = unchecked(OneWith2IntegerBits - halfDenominatorTimesX);
            x = unchecked(x + FixedPoint.MultiplyByPot(FixedPoint.SaturatingRoundingDoublingHighMul(x, oneMinus), 2));
        }
        // x has 2 integer bits; halving it exactly gives 1 integer bit, then rescale to 0 integer bits.
        return FixedPoint.MultiplyByPot(x, 1);
    }

    /// <summary>
    /// TFLite GetReciprocal: for x with <paramref name="integerDigits"/> integer bits, a Q0.31 value r and a count
    /// of extra bits such that 1/x = r / 2^numBitsOverUnit.
    /// </summary>
    public static int GetReciprocal(int x, int integerDigits, out int numBitsOverUnit)
    {
        int headroomPlusOne = System.Numerics.BitOperations.LeadingZeroCount((uint)x);
        numBitsOverUnit = integerDigits - headroomPlusOne;
        int shiftedSumMinusOne = unchecked((int)(((uint)x << headroomPlusOne) - (1u << 31)));
        return OneOverOnePlusXForXIn01(shiftedSumMinusOne);
    }

    /// <summary>(a + b) / 2 rounded to nearest, ties away from zero.</summary>
    public static int RoundingHalfSum(int a, int b)
    {
        long sum = (long)a + b;
        long sign = sum >= 0 ? 1 : -1;
        return (int)((sum + sign) / 2);
    }

    /// <summary>exp(a) for a in [-1/4, 0), 0 integer bits in and out (Taylor expansion around -1/8).</summary>
    private static int ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a)
    {
        const int ConstantTerm = 1895147668; // exp(-1/8)
        const int Constant1Over3 = 715827883;
        int x = unchecked(a + (1 << 28));
        int x2 = FixedPoint.SaturatingRoundingDoublingHighMul(x, x);
        int x3 = FixedPoint.SaturatingRoundingDoublingHighMul(x2, x);
        int x4 = FixedPoint.SaturatingRoundingDoublingHighMul(x2, x2);
        int x4Over4 = FixedPoint.RoundingDivideByPot(x4, 2);
        int poly = FixedPoint.RoundingDivideByPot(
            unchecked(FixedPoint.SaturatingRoundingDoublingHighMul(unchecked(x4Over4 + x3), Constant1Over3) + x2), 1);
        return unchecked(ConstantTerm + FixedPoint.SaturatingRoundingDoublingHighMul(ConstantTerm, unchecked(x + poly)));
    }
}
