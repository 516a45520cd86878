namespace Vta.Compiler.Graphs;

/// <summary>Layout of 4-D activations: which axis is batch, channel, height and width.</summary>
public enum DataLayout
{
    Nchw,
    Nhwc,
}

/// <summary>
/// Layout of 4-D convolution weights. O = output channels, I = input channels (per group),
/// H/W = kernel height/width. TFLite conv uses OHWI, TFLite depthwise IHWO (I = 1), ONNX OIHW.
/// </summary>
public enum KernelLayout
{
    Oihw,
    Ohwi,
    Hwio,
    Ihwo,
}

/// <summary>Axis positions for <see cref="DataLayout"/> and <see cref="KernelLayout"/>.</summary>
public static class Layouts
{
    public static int ChannelAxis(this DataLayout layout) => layout == DataLayout.Nchw ? 1 : 3;

    public static int HeightAxis(this DataLayout layout) => layout == DataLayout.Nchw ? 2 : 1;

    public static int WidthAxis(this DataLayout layout) => layout == DataLayout.Nchw ? 3 : 2;

    public static string Name(this DataLayout layout) => layout == DataLayout.Nchw ? "NCHW" : "NHWC";

    /// <summary>Builds an activation shape in this layout.</summary>
    public static Shape MakeShape(this DataLayout layout, int n, int c, int h, int w) =>
        layout == DataLayout.Nchw ? new Shape(n, c, h, w) : new Shape(n, h, w, c);

    /// <summary>Axis positions of (O, I, H, W) in the kernel layout.</summary>
    public static (int O, int I, int H, int W) Axes(this KernelLayout layout) => layout switch
    {
        KernelLayout.Oihw => (0, 1, 2, 3),
        KernelLayout.Ohwi => (0, 3, 1, 2),
        KernelLayout.Hwio => (3, 2, 0, 1),
        KernelLayout.Ihwo => (3, 0, 1, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
    };

    public static string Name(this KernelLayout layout) => layout.ToString().ToUpperInvariant();

    /// <summary>Builds a kernel shape in this layout.</summary>
    public static Shape MakeShape(this KernelLayout layout, int o, int i, int h, int w)
    {
        (int ao, int ai, int ah, int aw) = layout.Axes();
        int[] dims = new int[4];
        dims[ao] = o;
        dims[ai] = i;
        dims[ah] = h;
        dims[aw] = w;
        return new Shape(dims);
    }
}
