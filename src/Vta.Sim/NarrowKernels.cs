using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vta.Sim;

/// <summary>int32 → int8 by truncation (two's-complement wrap, no saturation), as STORE and the OUT buffer narrow.</summary>
internal static class NarrowKernels
{
    public static void Truncate(ReadOnlySpan<int> src, Span<sbyte> dst)
    {
        if (dst.Length < src.Length)
        {
            throw new ArgumentException("destination too short", nameof(dst));
        }

        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref int s = ref MemoryMarshal.GetReference(src);
            ref sbyte d = ref MemoryMarshal.GetReference(dst);
            for (; i + 16 <= src.Length; i += 16)
            {
                // Vector128.Narrow keeps the low half of each element (truncation), in order.
                var lo = Vector128.Narrow(Vector128.LoadUnsafe(ref s, (nuint)i), Vector128.LoadUnsafe(ref s, (nuint)(i + 4)));
                var hi = Vector128.Narrow(Vector128.LoadUnsafe(ref s, (nuint)(i + 8)), Vector128.LoadUnsafe(ref s, (nuint)(i + 12)));
                Vector128.Narrow(lo, hi).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < src.Length; i++)
        {
            dst[i] = (sbyte)src[i];
        }
    }
}
