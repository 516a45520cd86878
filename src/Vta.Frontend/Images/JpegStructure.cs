namespace Vta.Frontend.Images;

/// <summary>
/// Walks a JPEG's marker segments to the end-of-image marker. stb_image decodes a truncated JPEG without
/// complaint (it pads missing entropy data with zeros), so completeness is checked here first.
/// </summary>
internal static class JpegStructure
{
    private const byte Eoi = 0xD9, Sos = 0xDA;

    /// <summary>Null when the file reaches EOI; otherwise why it does not.</summary>
    public static string? FindProblem(ReadOnlySpan<byte> bytes)
    {
        int pos = 2; // after SOI
        while (true)
        {
            // A marker: one or more 0xFF fill bytes, then the code.
            if (pos >= bytes.Length || bytes[pos] != 0xFF)
            {
                return pos >= bytes.Length ? "truncated JPEG (ends before the end-of-image marker)" : $"corrupt JPEG (expected a marker at byte {pos})";
            }

            while (pos < bytes.Length && bytes[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= bytes.Length)
            {
                return "truncated JPEG (ends inside a marker)";
            }

            byte code = bytes[pos++];
            if (code == Eoi)
            {
                return null;
            }

            if (code is >= 0xD0 and <= 0xD7 or 0x01)
            {
                continue; // RSTn and TEM stand alone
            }

            if (pos + 2 > bytes.Length)
            {
                return "truncated JPEG (ends inside a segment header)";
            }

            int length = (bytes[pos] << 8) | bytes[pos + 1];
            if (length < 2 || pos + length > bytes.Length)
            {
                return $"truncated JPEG (segment 0xFF{code:X2} needs {length} bytes, {bytes.Length - pos} left)";
            }

            pos += length;
            if (code == Sos)
            {
                pos = SkipEntropyData(bytes, pos);
            }
        }
    }

    // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
    private static int SkipEntropyData(ReadOnlySpan<byte> bytes, int pos)
    {
        while (pos + 1 < bytes.Length)
        {
            if (bytes[pos] == 0xFF && bytes[pos + 1] != 0x00 && bytes[pos + 1] != 0xFF && bytes[pos + 1] is not (>= 0xD0 and <= 0xD7))
            {
                return pos;
            }

            pos++;
        }

        return bytes.Length;
    }
}
