using System.Globalization;
using Vta.Hardware.Config;

namespace Vta.Compiler.Workloads;

/// <summary>
/// One operator instance to compile: its shapes and parameters, in plain NCHW terms. A batch of 0 stands for the
/// configuration's BATCH (TVM's benchmarks use env.BATCH); <see cref="ForConfig"/> resolves it.
/// </summary>
public abstract record Workload(string Name)
{
    /// <summary>The operator family: conv2d, dense, conv2d_transpose or eltwise.</summary>
    public abstract string Family { get; }

    /// <summary>The explicit spec that parses back to this workload (batch 0 is written as BATCH).</summary>
    public abstract string Spec { get; }

    /// <summary>Images (or rows) in the batch; 0 until resolved against a configuration.</summary>
    public abstract int Batch { get; }

    /// <summary>The same workload with a batch of 0 replaced by the configuration's BATCH.</summary>
    public abstract Workload ForConfig(VtaConfig config);

    private protected static string BatchText(int n) => n == 0 ? "BATCH" : Num(n);

    private protected static string Num(int v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Zero padding of a 2-D operator, in input pixels on each side.</summary>
public readonly record struct Padding(int Top, int Left, int Bottom, int Right)
{
    public static Padding Uniform(int p) => new(p, p, p, p);

    public bool IsUniform => Top == Left && Left == Bottom && Bottom == Right;

    public override string ToString() => IsUniform
        ? Top.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Top},{Left},{Bottom},{Right}");
}

/// <summary>
/// conv2d (grouped when <see cref="Groups"/> &gt; 1), TVM's fused form: conv → &gt;&gt; shift → + bias
/// (→ + residual) → clip [0, 127] → int8.
/// </summary>
public sealed record Conv2dWorkload(
    string Name,
    int N,
    int Height,
    int Width,
    int InChannels,
    int OutChannels,
    int KernelH,
    int KernelW,
    Padding Pad,
    int StrideH,
    int StrideW,
    int Groups = 1,
    int Dilation = 1,
    int Shift = 8,
    bool Residual = false) : Workload(Name)
{
    public override string Family => "conv2d";

    public override int Batch => N;

    public int OutHeight => (Height + Pad.Top + Pad.Bottom - KernelH) / Math.Max(1, StrideH) + 1;

    public int OutWidth => (Width + Pad.Left + Pad.Right - KernelW) / Math.Max(1, StrideW) + 1;

    public override string Spec
    {
        get
        {
            string k = KernelH == KernelW ? $"k={Num(KernelH)}" : $"kh={Num(KernelH)},kw={Num(KernelW)}";
            string s = StrideH == StrideW ? Num(StrideH) : $"{Num(StrideH)},{Num(StrideW)}";
            string extra = (Groups != 1 ? $",groups={Num(Groups)}" : "") + (Dilation != 1 ? $",dilation={Num(Dilation)}" : "")
                + (Shift != 8 ? $",shift={Num(Shift)}" : "") + (Residual ? ",residual=1" : "");
            return $"conv2d:n={BatchText(N)},h={Num(Height)},w={Num(Width)},ci={Num(InChannels)},co={Num(OutChannels)},{k},pad={Pad},stride={s}{extra}";
        }
    }

    public override Workload ForConfig(VtaConfig config) => N == 0 ? this with { N = config.Batch } : this;
}

/// <summary>dense, TVM's fused form: (N × CI) · (CO × CI)ᵀ → &gt;&gt; shift → clip [0, 127] → int8.</summary>
public sealed record DenseWorkload(string Name, int N, int InChannels, int OutChannels, int Shift = 8) : Workload(Name)
{
    public override string Family => "dense";

    public override int Batch => N;

    public override string Spec => $"dense:n={BatchText(N)},ci={Num(InChannels)},co={Num(OutChannels)}" + (Shift != 8 ? $",shift={Num(Shift)}" : "");

    public override Workload ForConfig(VtaConfig config) => N == 0 ? this with { N = config.Batch } : this;
}

/// <summary>
/// conv2d_transpose with weights (CI, CO, K, K) as TVM and PyTorch define it, fused: → &gt;&gt; shift → clip [0, 127] → int8.
/// </summary>
public sealed record Conv2dTransposeWorkload(
    string Name,
    int N,
    int Height,
    int Width,
    int InChannels,
    int OutChannels,
    int Kernel,
    int Pad,
    int Stride,
    int OutputPad = 0,
    int Shift = 8) : Workload(Name)
{
    public override string Family => "conv2d_transpose";

    public override int Batch => N;

    public int OutHeight => (Height - 1) * Stride - 2 * Pad + Kernel + OutputPad;

    public int OutWidth => (Width - 1) * Stride - 2 * Pad + Kernel + OutputPad;

    public override string Spec =>
        $"conv2d_transpose:n={BatchText(N)},h={Num(Height)},w={Num(Width)},ci={Num(InChannels)},co={Num(OutChannels)},k={Num(Kernel)},pad={Num(Pad)},stride={Num(Stride)}"
        + (OutputPad != 0 ? $",out_pad={Num(OutputPad)}" : "") + (Shift != 8 ? $",shift={Num(Shift)}" : "");

    public override Workload ForConfig(VtaConfig config) => N == 0 ? this with { N = config.Batch } : this;
}

/// <summary>The binary ALU operation of an element-wise workload.</summary>
public enum ElementwiseOp
{
    /// <summary>Unary: only the shift and clip apply.</summary>
    None,
    Add,
    Min,
    Max,
}

/// <summary>
/// Element-wise ALU work on int32 tensors (N, C, H, W): out = int8(clip((a op b) &gt;&gt; shift, lo, hi)); each part optional.
/// </summary>
public sealed record ElementwiseWorkload(
    string Name,
    ElementwiseOp Op,
    int N,
    int Channels,
    int Height,
    int Width,
    int Shift = 0,
    int? ClipLo = null,
    int? ClipHi = null) : Workload(Name)
{
    public override string Family => "eltwise";

    public override int Batch => N;

    public bool IsBinary => Op != ElementwiseOp.None;

    public override string Spec
    {
        get
        {
            string op = Op switch { ElementwiseOp.Add => "add", ElementwiseOp.Min => "min", ElementwiseOp.Max => "max", _ => "none" };
            string extra = (Shift != 0 ? $",shift={Num(Shift)}" : "") + (ClipLo is { } lo ? $",lo={Num(lo)}" : "") + (ClipHi is { } hi ? $",hi={Num(hi)}" : "");
            return $"eltwise:op={op},n={BatchText(N)},c={Num(Channels)},h={Num(Height)},w={Num(Width)}{extra}";
        }
    }

    public override Workload ForConfig(VtaConfig config) => N == 0 ? this with { N = config.Batch } : this;
}
