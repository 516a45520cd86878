using System.Runtime.InteropServices;
using Vta.Compiler.Workloads;

namespace Vta.Compiler.Running;

/// <summary>
/// The plain (NCHW / OIHW / IOHW) operands of one workload. Each tensor comes from its own seeded stream, image by
/// image, so the data of a batch of N is the first N images of a larger batch with the same seed.
/// </summary>
public sealed class OpData
{
    public int Batch { get; init; }

    /// <summary>int8 input (conv-family), NCHW.</summary>
    public sbyte[] Data { get; init; } = [];

    /// <summary>int8 weights: OIHW (conv, grouped: O × I/groups), (CO, CI) for dense, IOHW for conv2d_transpose.</summary>
    public sbyte[] Weights { get; init; } = [];

    /// <summary>int32 bias per output channel (conv2d).</summary>
    public int[] Bias { get; init; } = [];

    /// <summary>int32 right-shift amount per output channel (0..15), for an epilogue with a per-channel shift.</summary>
    public int[] Shifts { get; init; } = [];

    /// <summary>int32 residual of the output's shape (conv2d with residual=1), values in the int8 range.</summary>
    public int[] Residual { get; init; } = [];

    /// <summary>int32 operands of an element-wise workload, NCHW.</summary>
    public int[] Lhs { get; init; } = [];

    public int[] Rhs { get; init; } = [];

    /// <summary>TVM's benchmark data: int8 data and weights over the full range, bias in [−2^14, 2^14).</summary>
    public static OpData Random(Workload w, int seed)
    {
        Rng Stream(int k) => new(seed, k);
        return w switch
        {
            Conv2dWorkload c => new OpData
            {
                Batch = c.N,
                Data = Stream(1).Int8(c.N * c.InChannels * c.Height * c.Width),
                Weights = Stream(2).Int8(c.OutChannels * (c.InChannels / c.Groups) * c.KernelH * c.KernelW),
                Bias = Stream(3).Int32(c.OutChannels, -(1 << 14), 1 << 14),
                Residual = c.Residual ? Stream(4).Int32(c.N * c.OutChannels * c.OutHeight * c.OutWidth, -128, 128) : [],
            },
            DenseWorkload d => new OpData
            {
                Batch = d.N,
                Data = Stream(1).Int8(d.N * d.InChannels),
                Weights = Stream(2).Int8(d.OutChannels * d.InChannels),
            },
            Conv2dTransposeWorkload t => new OpData
            {
                Batch = t.N,
                Data = Stream(1).Int8(t.N * t.InChannels * t.Height * t.Width),
                Weights = Stream(2).Int8(t.InChannels * t.OutChannels * t.Kernel * t.Kernel),
            },
            ElementwiseWorkload e => new OpData
            {
                Batch = e.N,
                Lhs = Stream(5).Int32(e.N * e.Channels * e.Height * e.Width, -4096, 4096),
                Rhs = e.IsBinary ? Stream(6).Int32(e.N * e.Channels * e.Height * e.Width, -4096, 4096) : [],
            },
            _ => throw new NotSupportedException(w.GetType().Name),
        };
    }

    /// <summary>The first <paramref name="n"/> images (per-image tensors are cut, weights and bias kept).</summary>
    public OpData TakeBatch(int n)
    {
        if (n > Batch)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"only {Batch} images");
        }

        return new OpData
        {
            Batch = n,
            Data = Cut(Data, n),
            Weights = Weights,
            Bias = Bias,
            Shifts = Shifts,
            Residual = Cut(Residual, n),
            Lhs = Cut(Lhs, n),
            Rhs = Cut(Rhs, n),
        };
    }

    private T[] Cut<T>(T[] values, int n) => values.Length == 0 ? values : values[..(values.Length / Batch * n)];

    private sealed class Rng(int seed, int stream)
    {
        private readonly Random _random = new((seed * 1_000_003) + stream);

        public sbyte[] Int8(int count)
        {
            var values = new sbyte[count];
            _random.NextBytes(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        public int[] Int32(int count, int lo, int hi)
        {
            var values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = _random.Next(lo, hi);
            }

            return values;
        }
    }
}

/// <summary>Operands with their expected int8 result (NCHW), computed once and reusable across configurations.</summary>
public sealed record OpCase(OpData Data, sbyte[] Expected)
{
    public OpCase TakeBatch(int n) => n == Data.Batch ? this : new(Data.TakeBatch(n), Expected[..(Expected.Length / Data.Batch * n)]);
}
