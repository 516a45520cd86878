using System.Buffers.Binary;
using StbImageSharp;

namespace Vta.Frontend.Images;

/// <summary>Decodes PNG, JPEG and BMP files to <see cref="RgbImage"/> through StbImageSharp.</summary>
public static class ImageDecoder
{
    public static RgbImage Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string reason = e is FileNotFoundException or DirectoryNotFoundException ? "image file not found" : $"cannot read image file ({e.Message})";
            throw new ImageFormatException(path, reason, e);
        }

        return Decode(bytes, path);
    }

    /// <summary>Decodes an in-memory file; <paramref name="sourceName"/> is what error messages call it.</summary>
    public static RgbImage Decode(byte[] bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(sourceName);
        ImageKind kind = Sniff(bytes);
        if (kind == ImageKind.Unknown)
        {
            throw new ImageFormatException(sourceName, bytes.Length == 0 ? "file is empty" : "not a PNG, JPEG or BMP image");
        }

        // stb pads a short BMP or JPEG with zeros instead of failing, so their completeness is checked first.
        if (kind == ImageKind.Bmp)
        {
            CheckBmpLength(bytes, sourceName);
        }
        else if (kind == ImageKind.Jpeg && JpegStructure.FindProblem(bytes) is string problem)
        {
            throw new ImageFormatException(sourceName, problem);
        }

        ImageResult result;
        try
        {
            result = ImageResult.FromMemory(bytes, ColorComponents.RedGreenBlue);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ImageFormatException(sourceName, $"corrupt or truncated {kind} image ({e.Message})", e);
        }

        if (result?.Data is null || result.Width <= 0 || result.Height <= 0 || result.Data.Length != result.Width * result.Height * 3)
        {
            throw new ImageFormatException(sourceName, $"corrupt {kind} image (decoder returned no pixels)");
        }

        return new RgbImage(result.Width, result.Height, result.Data);
    }

    internal static ImageKind Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageKind.Png;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageKind.Jpeg;
        }

        return bytes.Length >= 2 && bytes[0] == 'B' && bytes[1] == 'M' ? ImageKind.Bmp : ImageKind.Unknown;
    }

    private static void CheckBmpLength(ReadOnlySpan<byte> bytes, string sourceName)
    {
        if (bytes.Length < 26 + 4)
        {
            throw new ImageFormatException(sourceName, "truncated BMP image (header incomplete)");
        }

        uint dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes[10..]);
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes[14..]);
        if (headerSize < 40 || bytes.Length < 14 + 40)
        {
            return; // OS/2 and other rare headers: left to the decoder.
        }

        long width = BinaryPrimitives.ReadInt32LittleEndian(bytes[18..]);
        long height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(bytes[22..]));
        int bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(bytes[28..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(bytes[30..]);
        const uint Rgb = 0, BitFields = 3;
        if ((compression != Rgb && compression != BitFields) || width <= 0 || bitsPerPixel == 0)
        {
            return; // RLE and unusual layouts: no fixed size to check.
        }

        long stride = ((width * bitsPerPixel + 31) / 32) * 4;
        long needed = dataOffset + stride * height;
        if (bytes.Length < needed)
        {
            throw new ImageFormatException(sourceName, $"truncated BMP image ({bytes.Length} bytes, pixel data needs {needed})");
        }
    }

    internal enum ImageKind
    {
        Unknown,
        Png,
        Jpeg,
        Bmp,
    }
}
