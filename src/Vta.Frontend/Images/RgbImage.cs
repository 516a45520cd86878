namespace Vta.Frontend.Images;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B.</summary>
public sealed class RgbImage
{
    private readonly byte[] _pixels;

    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if ((long)width * height * 3 != pixels.Length)
        {
            throw new ArgumentException($"{width}x{height} RGB needs {(long)width * height * 3} bytes, got {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The interleaved RGB bytes (HWC order, which is also NHWC for a batch of one).</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    public byte this[int x, int y, int channel] => _pixels[((y * Width) + x) * 3 + channel];

    public byte[] ToArray() => (byte[])_pixels.Clone();

    public static RgbImage Load(string path) => ImageDecoder.Load(path);

    public RgbImage Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > Width || y + height > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"crop box ({x},{y}) {width}x{height} is outside the {Width}x{Height} image");
        }

        var result = new byte[width * height * 3];
        for (int row = 0; row < height; row++)
        {
            _pixels.AsSpan(((y + row) * Width + x) * 3, width * 3).CopyTo(result.AsSpan(row * width * 3));
        }

        return new RgbImage(width, height, result);
    }

    /// <summary>Centered crop; the left/top offset rounds down, as integer division does in the usual PIL recipes.</summary>
    public RgbImage CenterCrop(int width, int height) => Crop((Width - width) / 2, (Height - height) / 2, width, height);

    /// <summary>The largest centered square (side = the shorter side).</summary>
    public RgbImage CenterCropSquare()
    {
        int side = Math.Min(Width, Height);
        return side == Width && side == Height ? this : CenterCrop(side, side);
    }

    /// <summary>Bilinear resize computed exactly as PIL's <c>Image.resize(size, BILINEAR)</c>.</summary>
    public RgbImage Resize(int width, int height) => PilResize.Bilinear(this, width, height);
}
