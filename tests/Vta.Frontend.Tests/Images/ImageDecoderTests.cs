using Vta.Frontend.Images;

namespace Vta.Frontend.Tests.Images;

public class ImageDecoderTests
{
    [Fact]
    public void Decodes_the_shared_photos_at_their_documented_sizes()
    {
        RgbImage chelsea = RgbImage.Load(SharedModels.PathOf("images/chelsea.png"));
        Assert.Equal((451, 300), (chelsea.Width, chelsea.Height));

        RgbImage cat = RgbImage.Load(SharedModels.PathOf("images/cat.bmp"));
        Assert.Equal((512, 341), (cat.Width, cat.Height));

        RgbImage resized = RgbImage.Load(SharedModels.PathOf("images/resized_cat.bmp"));
        Assert.Equal((224, 224), (resized.Width, resized.Height));
    }

    [Fact]
    public void Resized_cat_raw_rgb_equals_the_mobilenet_golden_input()
    {
        RgbImage image = RgbImage.Load(SharedModels.PathOf("images/resized_cat.bmp"));
        byte[] golden = File.ReadAllBytes(SharedModels.PathOf("golden/mnv2q_resized_cat.in.u8"));

        Assert.Equal(golden, image.ToArray());
        Assert.Equal(golden, Preprocess.RawRgbNhwcU8(224).Apply(image).Bytes.ToArray());
    }

    [Fact]
    public void Png_pixels_decode_exactly()
    {
        // A hand-written 2x1 RGB PNG (stored, uncompressed zlib block): red then (1, 2, 3).
        byte[] png = TinyImages.Png(2, 1, [255, 0, 0, 1, 2, 3]);
        RgbImage image = ImageDecoder.Decode(png, "tiny.png");
        Assert.Equal(new byte[] { 255, 0, 0, 1, 2, 3 }, image.ToArray());
    }

    [Fact]
    public void Bmp_pixels_decode_exactly_bottom_up_bgr()
    {
        // 2x2, 24-bit: rows stored bottom-up, pixels as B, G, R, rows padded to 4 bytes.
        byte[] bmp = TinyImages.Bmp24(2, 2, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
        RgbImage image = ImageDecoder.Decode(bmp, "tiny.bmp");
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120 }, image.ToArray());
    }

    [Fact]
    public void A_baseline_jpeg_decodes()
    {
        // A 16x8 grayscale baseline JPEG whose every block is a flat DC-only 8x8 of value 128 + 8·dc/8.
        byte[] jpeg = TinyImages.FlatGrayJpeg(16, 8);
        RgbImage image = ImageDecoder.Decode(jpeg, "flat.jpg");
        Assert.Equal((16, 8), (image.Width, image.Height));
        Assert.All(image.ToArray(), b => Assert.Equal(TinyImages.FlatGrayJpegValue, b));
    }

    [Fact]
    public void Missing_file_names_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vta-no-such-{Guid.NewGuid():N}.png");
        var e = Assert.Throws<ImageFormatException>(() => RgbImage.Load(path));
        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Not_an_image_is_refused()
    {
        var e = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode("hello, world\n"u8.ToArray(), "notes.txt"));
        Assert.StartsWith("notes.txt: ", e.Message);
        Assert.Contains("not a PNG, JPEG or BMP", e.Message);
        Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode([], "empty.png"));
    }

    [Theory]
    [InlineData("images/chelsea.png")]
    [InlineData("images/cat.bmp")]
    public void Truncated_real_files_are_refused(string relative)
    {
        byte[] whole = File.ReadAllBytes(SharedModels.PathOf(relative));
        foreach (int keep in new[] { whole.Length / 2, whole.Length - 100 })
        {
            var e = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(whole[..keep], relative));
            Assert.StartsWith(relative + ": ", e.Message);
        }
    }

    [Fact]
    public void Truncated_jpeg_is_refused()
    {
        byte[] jpeg = TinyImages.FlatGrayJpeg(16, 8);
        Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg[..(jpeg.Length - 6)], "cut.jpg"));
    }

    [Fact]
    public void Corrupt_png_is_refused()
    {
        byte[] png = TinyImages.Png(2, 1, [255, 0, 0, 1, 2, 3]);
        png[25] = 1; // IHDR colour type 1 does not exist (stb skips CRCs, so the CRC is no help)
        Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png, "bad.png"));
    }
}
