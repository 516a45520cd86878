namespace Vta.Frontend.Images;

/// <summary>
/// PIL's separable resampling (libImaging/Resample.c) for 8-bit images with the bilinear (triangle) filter.
/// When downscaling, the filter support widens by the scale factor (an antialiasing box-like triangle), and
/// weights are fixed point with 22 fractional bits; the horizontal pass runs first and rounds to 8 bits before
/// the vertical pass. Every one of these details changes output bytes, so all of them are kept.
/// </summary>
public static class PilResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static RgbImage Bilinear(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (width == image.Width && height == image.Height)
        {
            return image;
        }

        Coefficients horizontal = Precompute(image.Width, width);
        Coefficients vertical = Precompute(image.Height, height);

        // Like PIL, the horizontal pass only produces the source rows the vertical pass will read.
        int firstRow = vertical.Bounds[0];
        int lastRow = vertical.Bounds[(height - 1) * 2] + vertical.Bounds[(height - 1) * 2 + 1];
        byte[] source = image.ToArray();
        byte[] temp = new byte[width * (lastRow - firstRow) * 3];
        for (int y = 0; y < lastRow - firstRow; y++)
        {
            int inRow = (y + firstRow) * image.Width * 3;
            for (int x = 0; x < width; x++)
            {
                int min = horizontal.Bounds[x * 2];
                int count = horizontal.Bounds[x * 2 + 1];
                int k = x * horizontal.KernelSize;
                for (int c = 0; c < 3; c++)
                {
                    int sum = 1 << (PrecisionBits - 1);
                    for (int i = 0; i < count; i++)
                    {
                        sum += source[inRow + (min + i) * 3 + c] * horizontal.Weights[k + i];
                    }

                    temp[(y * width + x) * 3 + c] = Clip8(sum);
                }
            }
        }

        byte[] result = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int min = vertical.Bounds[y * 2] - firstRow;
            int count = vertical.Bounds[y * 2 + 1];
            int k = y * vertical.KernelSize;
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int sum = 1 << (PrecisionBits - 1);
                    for (int i = 0; i < count; i++)
                    {
                        sum += temp[((min + i) * width + x) * 3 + c] * vertical.Weights[k + i];
                    }

                    result[(y * width + x) * 3 + c] = Clip8(sum);
                }
            }
        }

        return new RgbImage(width, height, result);
    }

    /// <summary>The triangle filter with support 1 (PIL's <c>bilinear_filter</c>).</summary>
    internal static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    /// <summary>PIL's precompute_coeffs: for each output pixel, first source index, tap count and fixed-point weights.</summary>
    public static Coefficients Precompute(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * kernelSize];
        var k = new double[kernelSize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;

            // PIL truncates (value + 0.5) toward zero, which is rounding for the non-negative values that survive the clamp.
            int min = Math.Max((int)(center - support + 0.5), 0);
            int max = Math.Min((int)(center + support + 0.5), inSize) - min;
            double total = 0.0;
            for (int x = 0; x < max; x++)
            {
                k[x] = Triangle((x + min - center + 0.5) * ss);
                total += k[x];
            }

            for (int x = 0; x < max; x++)
            {
                double w = total != 0.0 ? k[x] / total : k[x];
                weights[xx * kernelSize + x] = (int)(w < 0 ? -0.5 + w * (1 << PrecisionBits) : 0.5 + w * (1 << PrecisionBits));
            }

            bounds[xx * 2] = min;
            bounds[xx * 2 + 1] = max;
        }

        return new Coefficients(kernelSize, bounds, weights);
    }

    private static byte Clip8(int value)
    {
        if (value >= 1 << PrecisionBits << 8)
        {
            return 255;
        }

        return value <= 0 ? (byte)0 : (byte)(value >> PrecisionBits);
    }

    /// <summary>Per output pixel: <c>Bounds[2i]</c> first source index, <c>Bounds[2i+1]</c> tap count; weights in 22-bit fixed point.</summary>
    public sealed record Coefficients(int KernelSize, int[] Bounds, int[] Weights);
}
