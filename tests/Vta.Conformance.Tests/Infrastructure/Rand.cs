namespace Vta.Conformance.Tests.Infrastructure;

/// <summary>Seeded random tensors (uniform in [lo, hi), as numpy.random.randint).</summary>
internal static class Rand
{
    public static sbyte[] Int8(Random rng, int count, int lo, int hi)
    {
        var values = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (sbyte)rng.Next(lo, hi);
        }

        return values;
    }

    public static int[] Int32(Random rng, int count, int lo, int hi)
    {
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = rng.Next(lo, hi);
        }

        return values;
    }
}
