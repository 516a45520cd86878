using Vta.Compiler.Ops;
using Vta.Compiler.Workloads;

namespace Vta.Compiler.Reference;

/// <summary>The epilogue and element-wise operators on plain int32 values, as their definitions read; int8 is the low byte.</summary>
public static class ReferenceEpilogue
{
    /// <summary>
    /// Applies the steps to an (N, C, pixels) int32 tensor and truncates to int8; <paramref name="shifts"/> holds the
    /// stacked per-channel vectors (vector v of channel c at v·C + c) when a step needs them.
    /// </summary>
    public static sbyte[] Apply(ReadOnlySpan<int> acc, Epilogue epilogue, int channels, int pixels, ReadOnlySpan<int> bias, ReadOnlySpan<int> residual,
        ReadOnlySpan<int> shifts = default)
    {
        var result = new sbyte[acc.Length];
        for (int i = 0; i < acc.Length; i++)
        {
            int c = i / pixels % channels;
            int v = acc[i];
            foreach (var step in epilogue.Steps)
            {
                v = step switch
                {
                    ShiftRight { Round: true } s => unchecked(v + (1 << (s.Bits - 1))) >> s.Bits,
                    ShiftRight s => v >> s.Bits,
                    AddBias => unchecked(v + bias[c]),
                    AddResidual => unchecked(v + residual[i]),
                    ShiftRightPerChannel s => v >> shifts[(s.Vector * channels) + c],
                    MulPerChannel m => unchecked(v * shifts[(m.Vector * channels) + c]),
                    AddPerChannel a => unchecked(v + shifts[(a.Vector * channels) + c]),
                    AddImmediate a => unchecked(v + a.Value),
                    Clip k => Math.Clamp(v, k.Lo, k.Hi),
                    _ => throw new NotSupportedException(step.ToString()),
                };
            }

            result[i] = unchecked((sbyte)v);
        }

        return result;
    }

    /// <summary>out = int8(clip((a op b) &gt;&gt; shift, lo, hi)).</summary>
    public static sbyte[] Elementwise(ReadOnlySpan<int> a, ReadOnlySpan<int> b, ElementwiseWorkload w)
    {
        var result = new sbyte[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            int v = w.Op switch
            {
                ElementwiseOp.Add => unchecked(a[i] + b[i]),
                ElementwiseOp.Min => Math.Min(a[i], b[i]),
                ElementwiseOp.Max => Math.Max(a[i], b[i]),
                _ => a[i],
            };
            v >>= w.Shift;
            if (w.ClipLo is { } lo)
            {
                v = Math.Max(v, lo);
            }

            if (w.ClipHi is { } hi)
            {
                v = Math.Min(v, hi);
            }

            result[i] = unchecked((sbyte)v);
        }

        return result;
    }
}
