namespace Vta.Compiler.Llvm.Kernels;

/// <summary>
/// A sliding window over an H x W plane: kernel, strides, dilations, top/left padding and output size. Splits the
/// output into the interior (every tap inside the input, no checks) and the border.
/// </summary>
public sealed record WindowGeometry(int H, int W, int KH, int KW, int SH, int SW, int DH, int DW, int PadTop, int PadLeft, int OH, int OW)
{
    /// <summary>Output rows [lo, hi) whose taps all fall inside the input rows.</summary>
    public (int Lo, int Hi) InteriorRows => Interior(H, KH, SH, DH, PadTop, OH);

    /// <summary>Output columns [lo, hi) whose taps all fall inside the input columns.</summary>
    public (int Lo, int Hi) InteriorColumns => Interior(W, KW, SW, DW, PadLeft, OW);

    /// <summary>
    /// Output columns [lo, hi) whose tap <paramref name="kx"/> reads inside the input row (ix = ox·SW − PadLeft + kx·DW):
    /// known when the IR is built, so row kernels loop over them with no checks.
    /// </summary>
    public (int Lo, int Hi) ColumnsOfTap(int kx)
    {
        int offset = (kx * DW) - PadLeft;
        int lo = offset >= 0 ? 0 : (-offset + SW - 1) / SW;
        int hi = W - 1 - offset < 0 ? 0 : Math.Min(OW, ((W - 1 - offset) / SW) + 1);
        return (Math.Min(lo, hi), hi);
    }

    public override string ToString() =>
        $"in{H}x{W} k{KH}x{KW} s{SH}x{SW} d{DH}x{DW} p{PadTop},{PadLeft} out{OH}x{OW}";

    private static (int Lo, int Hi) Interior(int size, int kernel, int stride, int dilation, int pad, int outSize)
    {
        int lo = 0;
        while (lo < outSize && (lo * stride) - pad < 0)
        {
            lo++;
        }
        int hi = lo;
        while (hi < outSize && (hi * stride) - pad + ((kernel - 1) * dilation) < size)
        {
            hi++;
        }
        return (lo, hi);
    }
}
