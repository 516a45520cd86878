namespace Vta.Compiler.Graphs;

/// <summary>A height/width pair: strides, dilations or a window size.</summary>
public readonly record struct Size2d(int H, int W)
{
    public static Size2d One { get; } = new(1, 1);

    public override string ToString() => $"{H}x{W}";
}

/// <summary>Explicit 2-D padding, in the order top, left, bottom, right.</summary>
public readonly record struct Pads2d(int Top, int Left, int Bottom, int Right)
{
    public static Pads2d Zero { get; } = default;

    public override string ToString() => $"{Top},{Left},{Bottom},{Right}";
}
