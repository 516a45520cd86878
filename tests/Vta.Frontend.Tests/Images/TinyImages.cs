using System.Buffers.Binary;

namespace Vta.Frontend.Tests.Images;

/// <summary>Hand-built image files, written byte by byte from the format specifications.</summary>
internal static class TinyImages
{
    /// <summary>The pixel value every sample of <see cref="FlatGrayJpeg"/> decodes to: 128 + DC 8 / 8.</summary>
    public const byte FlatGrayJpegValue = 129;

    /// <summary>An 8-bit RGB PNG with one stored (uncompressed) deflate block and filter type 0 rows.</summary>
    public static byte[] Png(int width, int height, byte[] rgb)
    {
        var raw = new List<byte>();
        for (int y = 0; y < height; y++)
        {
            raw.Add(0);
            raw.AddRange(rgb.AsSpan(y * width * 3, width * 3).ToArray());
        }

        var zlib = new List<byte> { 0x78, 0x01, 0x01 };
        zlib.AddRange(Le16(raw.Count));
        zlib.AddRange(Le16(~raw.Count & 0xFFFF));
        zlib.AddRange(raw);
        zlib.AddRange(Be32(Adler32(raw.ToArray())));

        var ihdr = new List<byte>();
        ihdr.AddRange(Be32((uint)width));
        ihdr.AddRange(Be32((uint)height));
        ihdr.AddRange(new byte[] { 8, 2, 0, 0, 0 });

        var png = new List<byte> { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        Chunk(png, "IHDR", ihdr.ToArray());
        Chunk(png, "IDAT", zlib.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A 24-bit BI_RGB BMP: rows bottom-up, B G R order, each row padded to 4 bytes.</summary>
    public static byte[] Bmp24(int width, int height, byte[] rgb)
    {
        int stride = (width * 3 + 3) / 4 * 4;
        var bytes = new byte[54 + stride * height];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), stride * height);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * stride;
            for (int x = 0; x < width; x++)
            {
                int src = (y * width + x) * 3;
                bytes[row + x * 3] = rgb[src + 2];
                bytes[row + x * 3 + 1] = rgb[src + 1];
                bytes[row + x * 3 + 2] = rgb[src];
            }
        }

        return bytes;
    }

    /// <summary>
    /// A baseline grayscale JPEG (width and height multiples of 8) of flat blocks: quantization all 1, a DC
    /// Huffman table with codes '0' → category 0 and '10' → category 4, an AC table with '0' → EOB. The first
    /// block codes DC difference +8 ('10' '1000'), every later block difference 0, so every DC is 8.
    /// </summary>
    public static byte[] FlatGrayJpeg(int width, int height)
    {
        var j = new List<byte> { 0xFF, 0xD8 };
        Segment(j, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(j, 0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        Segment(j, 0xC4, [0x00, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
        Segment(j, 0xC4, [0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);
        Segment(j, 0xDA, [1, 1, 0x00, 0, 63, 0]);

        var bits = new List<bool>();
        int blocks = width / 8 * (height / 8);
        for (int b = 0; b < blocks; b++)
        {
            bits.AddRange(b == 0 ? [true, false, true, false, false, false] : [false]);
            bits.Add(false); // EOB
        }

        while (bits.Count % 8 != 0)
        {
            bits.Add(true); // pad with 1s, as the standard requires
        }

        for (int i = 0; i < bits.Count; i += 8)
        {
            byte value = 0;
            for (int k = 0; k < 8; k++)
            {
                value = (byte)((value << 1) | (bits[i + k] ? 1 : 0));
            }

            j.Add(value);
            if (value == 0xFF)
            {
                j.Add(0x00); // byte stuffing
            }
        }

        j.AddRange(new byte[] { 0xFF, 0xD9 });
        return j.ToArray();
    }

    private static void Segment(List<byte> j, byte marker, byte[] body)
    {
        j.Add(0xFF);
        j.Add(marker);
        j.Add((byte)((body.Length + 2) >> 8));
        j.Add((byte)(body.Length + 2));
        j.AddRange(body);
    }

    private static void Chunk(List<byte> png, string type, byte[] data)
    {
        png.AddRange(Be32((uint)data.Length));
        byte[] typed = [.. type.Select(c => (byte)c), .. data];
        png.AddRange(typed);
        png.AddRange(Be32(Crc32(typed)));
    }

    private static byte[] Le16(int v) => [(byte)v, (byte)(v >> 8)];

    private static byte[] Be32(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (byte d in data)
        {
            a = (a + d) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte d in data)
        {
            crc ^= d;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
