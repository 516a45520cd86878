using Vta.Frontend.Images;
using Vta.Frontend.Npz;

namespace Vta.Frontend.Tests.Images;

public class ResizeAndPreprocessTests
{
    private static RgbImage Gray(int width, int height, params byte[] values) =>
        new(width, height, values.SelectMany(v => new[] { v, v, v }).ToArray());

    [Fact]
    public void Chelsea_through_Cifar10Int8_equals_the_resnet8_golden_input_exactly()
    {
        RgbImage chelsea = RgbImage.Load(SharedModels.PathOf("images/chelsea.png"));
        byte[] golden = File.ReadAllBytes(SharedModels.PathOf("golden/ic_resnet8_chelsea32.in.s8"));

        NpyArray input = Preprocess.Cifar10Int8(32).Apply(chelsea, "input_1");

        Assert.Equal(NpyDType.Int8, input.DType);
        Assert.Equal([1, 32, 32, 3], input.Shape);
        Assert.Equal("input_1", input.Name);
        Assert.Equal(golden, input.Bytes.ToArray()); // exact: not a single byte off
    }

    [Fact]
    public void Downscaling_uses_pils_widened_triangle_filter()
    {
        // 4 -> 2: scale 2, support 2. Output 0 centers on 1.0 and weighs pixels 0, 1, 2 by 0.75, 0.75, 0.25
        // (normalized 3/7, 3/7, 1/7): (0·3 + 100·3 + 200)/7 = 71.4 -> 71. Output 1: (100 + 200·3 + 255·3)/7 = 209.3 -> 209.
        // A two-tap bilinear would give 50 and 227.
        RgbImage small = Gray(4, 1, 0, 100, 200, 255).Resize(2, 1);
        Assert.Equal(new byte[] { 71, 71, 71, 209, 209, 209 }, small.ToArray());
    }

    [Fact]
    public void Upscaling_is_plain_bilinear_with_edge_clamping()
    {
        // 2 -> 4: centers 0.25, 0.75, 1.25, 1.75 in source pixels; edge outputs see only one source pixel.
        RgbImage big = Gray(2, 1, 0, 100).Resize(4, 1);
        Assert.Equal(new byte[] { 0, 25, 75, 100 }, big.ToArray().Where((_, i) => i % 3 == 0).ToArray());
    }

    [Fact]
    public void Pil_fixed_point_weights_match_hand_computation()
    {
        PilResize.Coefficients c = PilResize.Precompute(4, 2);
        Assert.Equal(5, c.KernelSize); // ceil(2) * 2 + 1
        Assert.Equal(new[] { 0, 3, 1, 3 }, c.Bounds);
        Assert.Equal(new[] { 1797559, 1797559, 599186, 0, 0 }, c.Weights[..5]); // round(3/7 · 2^22), round(1/7 · 2^22)
    }

    [Fact]
    public void Center_crop_takes_the_middle_with_the_offset_rounded_down()
    {
        RgbImage image = Gray(5, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        RgbImage square = image.CenterCropSquare();
        Assert.Equal((2, 2), (square.Width, square.Height));
        Assert.Equal(new byte[] { 1, 2, 6, 7 }, square.ToArray().Where((_, i) => i % 3 == 0).ToArray()); // (5 - 2) / 2 = 1
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Crop(4, 0, 2, 2));
    }

    [Fact]
    public void ImageNet_float_is_nchw_normalized_by_mean_and_std()
    {
        // 2x2 already at size: no resize. Pixel (1, 0) is (255, 0, 51).
        byte[] rgb = [0, 0, 0, 255, 0, 51, 10, 20, 30, 40, 50, 60];
        NpyArray input = Preprocess.ImageNetFloatNchw(2).Apply(new RgbImage(2, 2, rgb));

        Assert.Equal([1, 3, 2, 2], input.Shape);
        float[] v = input.ToArray<float>();
        Assert.Equal((1f - 0.485f) / 0.229f, v[0 * 4 + 1], 5); // R plane, pixel 1
        Assert.Equal((0f - 0.456f) / 0.224f, v[1 * 4 + 1], 5); // G plane
        Assert.Equal((0.2f - 0.406f) / 0.225f, v[2 * 4 + 1], 5); // B plane: 51/255 = 0.2
        Assert.Equal((40 / 255f - 0.485f) / 0.229f, v[0 * 4 + 3], 5);
    }

    [Fact]
    public void ImageNet_float_of_a_photo_has_the_model_shape()
    {
        RgbImage chelsea = RgbImage.Load(SharedModels.PathOf("images/chelsea.png"));
        Preprocess preset = Preprocess.ImageNetFloatNchw();
        NpyArray input = preset.Apply(chelsea);
        Assert.Equal([1, 3, 224, 224], input.Shape);
        Assert.Equal(preset.Shape, input.Shape);
        Assert.All(input.ToArray<float>(), x => Assert.InRange(x, -2.2f, 2.7f));

        NpyArray raw = Preprocess.RawRgbNhwcU8(224).Apply(chelsea);
        Assert.Equal([1, 224, 224, 3], raw.Shape);
        Assert.Equal(NpyDType.UInt8, raw.DType);
    }
}
