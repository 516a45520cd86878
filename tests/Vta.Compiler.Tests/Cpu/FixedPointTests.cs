using Vta.Compiler.Cpu;

namespace Vta.Compiler.Tests.Cpu;

public class FixedPointTests
{
    [Theory]
    [InlineData(0.5, 1 << 30, 0)]
    [InlineData(1.0, 1 << 30, 1)]
    [InlineData(0.75, 1610612736, 0)]
    [InlineData(0.25, 1 << 30, -1)]
    [InlineData(3.0, 1610612736, 2)]
    [InlineData(0.0, 0, 0)]
    [InlineData(1e-12, 0, 0)] // shift below -31: TFLite zeroes the multiplier
    public void QuantizeMultiplierSplitsIntoQ31AndShift(double real, int multiplier, int shift)
    {
        Assert.Equal((multiplier, shift), FixedPoint.QuantizeMultiplier(real));
    }

    [Fact]
    public void QuantizeMultiplierRoundsUpToTheNextPowerOfTwo()
    {
        // 0.99999999999 rounds to 2^31 in Q31, which becomes 2^30 with one more shift.
        Assert.Equal((1 << 30, 1), FixedPoint.QuantizeMultiplier(0.99999999999));
    }

    [Theory]
    [InlineData(1 << 30, 1 << 30, 1 << 29)]
    [InlineData(int.MinValue, int.MinValue, int.MaxValue)]
    [InlineData(3, 1 << 30, 2)]   // 1.5 rounds away from zero
    [InlineData(-3, 1 << 30, -1)] // gemmlowp: a negative tie rounds toward zero here
    [InlineData(5, 1 << 29, 1)]   // 1.25 rounds to 1
    public void SaturatingRoundingDoublingHighMul(int a, int b, int expected)
    {
        Assert.Equal(expected, FixedPoint.SaturatingRoundingDoublingHighMul(a, b));
    }

    [Theory]
    [InlineData(5, 1, 3)]
    [InlineData(-5, 1, -3)]
    [InlineData(4, 1, 2)]
    [InlineData(-6, 2, -2)]
    [InlineData(-7, 2, -2)]
    [InlineData(6, 2, 2)]
    [InlineData(7, 0, 7)]
    public void RoundingDivideByPotRoundsHalfAwayFromZero(int x, int exponent, int expected)
    {
        Assert.Equal(expected, FixedPoint.RoundingDivideByPot(x, exponent));
    }

    [Fact]
    public void MultiplyByQuantizedMultiplierApproximatesTheRealProductWithinOne()
    {
        Random random = new(7);
        for (int i = 0; i < 2000; i++)
        {
            double real = Math.Exp((random.NextDouble() * 12) - 10); // 4.5e-5 .. 7.4
            int x = random.Next(-100000, 100000);
            (int m, int s) = FixedPoint.QuantizeMultiplier(real);
            int actual = FixedPoint.MultiplyByQuantizedMultiplier(x, m, s);
            Assert.InRange(actual, Math.Floor(x * real) - 1, Math.Ceiling(x * real) + 1);
        }
        (int half, int shift) = FixedPoint.QuantizeMultiplier(0.5);
        Assert.Equal(50, FixedPoint.MultiplyByQuantizedMultiplier(100, half, shift));
        Assert.Equal(-50, FixedPoint.MultiplyByQuantizedMultiplier(-101, half, shift)); // the high multiply rounds -50.5 toward zero
    }

    [Fact]
    public void FixedPointExpMatchesExpOnNegativeValues()
    {
        for (double v = -15.9; v <= 0; v += 0.37)
        {
            int raw = (int)Math.Round(v * (1 << 26)); // 5 integer bits
            double actual = FixedPointExp.ExpOnNegativeValues(raw, 5) / 2147483648.0;
            Assert.InRange(actual, Math.Exp(v) - 2e-6, Math.Exp(v) + 2e-6);
        }
        Assert.Equal(int.MaxValue, FixedPointExp.ExpOnNegativeValues(0, 5));
    }

    [Fact]
    public void ReciprocalMatchesOneOverX()
    {
        foreach (double x in new[] { 1.0, 1.25, 3.7, 100.5, 2047.0 })
        {
            int raw = (int)Math.Round(x * (1 << 19)); // 12 integer bits
            int r = FixedPointExp.GetReciprocal(raw, 12, out int bitsOverUnit);
            double actual = r / 2147483648.0 / Math.Pow(2, bitsOverUnit);
            Assert.InRange(actual, (1 / x) * (1 - 1e-6), (1 / x) * (1 + 1e-6));
        }
    }
}
