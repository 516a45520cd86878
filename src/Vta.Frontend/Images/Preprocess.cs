using Vta.Frontend.Npz;

namespace Vta.Frontend.Images;

/// <summary>
/// How a model wants its image input (see shared/models/README.md). Every preset first takes the largest
/// centered square, then resizes with PIL's bilinear filter, so the pixel content is the same across models
/// and an image already at the model's size is passed through untouched.
/// </summary>
public sealed class Preprocess
{
    /// <summary>ImageNet mean and standard deviation on [0,1] RGB values (torchvision / ONNX Model Zoo).</summary>
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];

    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    private Preprocess(PreprocessKind kind, int size, NpyDType dtype, int[] shape)
    {
        Kind = kind;
        Size = size;
        DType = dtype;
        Shape = shape;
    }

    public PreprocessKind Kind { get; }

    /// <summary>The square side the image is resized to.</summary>
    public int Size { get; }

    public NpyDType DType { get; }

    /// <summary>The tensor shape produced, batch of one.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>[1,3,S,S] float32: (pixel/255 − mean) / std per channel (ONNX MobileNetV2, ResNet-18).</summary>
    public static Preprocess ImageNetFloatNchw(int size = 224) => new(PreprocessKind.ImageNetFloatNchw, CheckSize(size), NpyDType.Float32, [1, 3, size, size]);

    /// <summary>[1,S,S,3] uint8 raw RGB bytes (TFLite uint8 MobileNetV2: scale 1/128, zero point 128).</summary>
    public static Preprocess RawRgbNhwcU8(int size = 224) => new(PreprocessKind.RawRgbNhwcU8, CheckSize(size), NpyDType.UInt8, [1, size, size, 3]);

    /// <summary>[1,S,S,3] int8 pixel − 128 (MLPerf Tiny ResNet-8: scale 1, zero point −128).</summary>
    public static Preprocess Cifar10Int8(int size = 32) => new(PreprocessKind.Cifar10Int8, CheckSize(size), NpyDType.Int8, [1, size, size, 3]);

    /// <summary>The cropped and resized image before the preset's value transform.</summary>
    public RgbImage Fit(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.CenterCropSquare().Resize(Size, Size);
    }

    public NpyArray Apply(RgbImage image, string inputName = "input")
    {
        RgbImage fitted = Fit(image);
        ReadOnlySpan<byte> pixels = fitted.Pixels;
        switch (Kind)
        {
            case PreprocessKind.RawRgbNhwcU8:
                return NpyArray.Create(inputName, [1, Size, Size, 3], pixels);
            case PreprocessKind.Cifar10Int8:
                var shifted = new sbyte[pixels.Length];
                for (int i = 0; i < pixels.Length; i++)
                {
                    shifted[i] = (sbyte)(pixels[i] - 128);
                }

                return NpyArray.Create<sbyte>(inputName, [1, Size, Size, 3], shifted);
            case PreprocessKind.ImageNetFloatNchw:
                int plane = Size * Size;
                var values = new float[3 * plane];
                for (int p = 0; p < plane; p++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        values[c * plane + p] = (pixels[p * 3 + c] / 255f - ImageNetMean[c]) / ImageNetStd[c];
                    }
                }

                return NpyArray.Create<float>(inputName, [1, 3, Size, Size], values);
            default:
                throw new InvalidOperationException($"unknown preprocessing {Kind}");
        }
    }

    public override string ToString() => $"{Kind}({Size})";

    private static int CheckSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return size;
    }
}

public enum PreprocessKind
{
    ImageNetFloatNchw,
    RawRgbNhwcU8,
    Cifar10Int8,
}
