using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;
using Vta.Runtime.Kernels;
using Vta.Runtime.Layout;

namespace Vta.Runtime.Demos;

/// <summary>
/// TVM's "matrix multiply blocking" tutorial: (BATCH × 1024) int8 times (1024 × 1024) int8 weights, int32
/// accumulate, then &gt;&gt; 8, clip to [0, 127], int8 out. Unlike TVM's schedule the input row stays resident (loaded
/// once, not once per output tile) and weight tiles are double-buffered so loads overlap compute.
/// </summary>
public static class MatmulDemo
{
    public const int Channels = 1024;
    public const int Shift = 8;

    public static DemoResult Run(IVtaDevice device, int seed = 0, CommandQueueOptions? options = null)
    {
        var c = device.Config;
        int batch = c.Batch, bi = c.BlockIn, bo = c.BlockOut;
        int ib = Channels / bi, ob = Channels / bo;

        // Weight tiles of `to` output blocks × all input blocks, two of them in the WGT buffer at once.
        int to = Divisors(ob).Where(d => 2 * d * ib <= c.WgtBuffDepth && 2 * d <= c.AccBuffDepth).DefaultIfEmpty(0).Max();
        if (ib > c.InpBuffDepth || to == 0)
        {
            throw new VtaRuntimeException(ib > c.InpBuffDepth
                ? $"matmul: the input row needs {ib} INP elements, the INP buffer holds {c.InpBuffDepth}"
                : $"matmul: two weight tiles of one output block need {2 * ib} WGT elements, the WGT buffer holds {c.WgtBuffDepth}");
        }

        var rng = new Random(seed);
        var a = new sbyte[batch * Channels];
        var w = new sbyte[Channels * Channels];
        rng.NextBytes(MemoryMarshal.AsBytes(a.AsSpan()));
        rng.NextBytes(MemoryMarshal.AsBytes(w.AsSpan()));
        sbyte[] expected = Reference(a, w, batch);

        // Packed layouts: data (1, I/bi, BATCH, bi); weights (O/bo, I/bi, bo, bi); output (1, O/bo, BATCH, bo).
        sbyte[] aPacked = PackedLayout.PackActivations(a, batch, Channels, 1, 1, batch, bi);
        sbyte[] wPacked = PackedLayout.PackWeights(w, Channels, Channels, 1, 1, bo, bi);
        var inp = device.Allocate(aPacked.Length);
        var wgt = device.Allocate(wPacked.Length);
        var @out = device.Allocate(batch * Channels);
        device.CopyIn(inp, 0, MemoryMarshal.AsBytes(aPacked.AsSpan()));
        device.CopyIn(wgt, 0, MemoryMarshal.AsBytes(wPacked.AsSpan()));

        device.ClearCounters();
        var clock = Stopwatch.StartNew();
        using (var queue = new CommandQueue(device, options))
        {
            var k = new KernelBuilder(queue);
            k.Load.Tile(DramTile.Row(inp, MemoryType.Inp, 0, ib), sram: 0);
            for (int t = 0; t < ob / to; t++)
            {
                int h = t % 2;
                int acc = h * to;
                k.Load.WaitFor(Stage.Compute, when: t >= 2)
                    .Tile(new DramTile(wgt, MemoryType.Wgt, (long)t * to * ib, to, ib, ib), sram: h * to * ib)
                    .Signal(Stage.Compute);
                k.Compute.WaitFor(Stage.Load).WaitFor(Stage.Store, when: t >= 2)
                    .Run(UopKernel.Gemm(reset: true).Loop(to, dst: 1, src: 0).Uop(acc, 0, 0).Build())
                    .Run(UopKernel.Gemm().Loop(to, dst: 1, src: 0, wgt: ib).Loop(ib, dst: 0, src: 1, wgt: 1).Uop(acc, 0, h * to * ib).Build())
                    .Signal(Stage.Load)
                    .Run(UopKernel.Alu(AluOpcode.Shr, Shift).Loop(to, dst: 1, src: 1).Uop(acc, acc).Build())
                    .Run(UopKernel.Alu(AluOpcode.Max, 0).Loop(to, dst: 1, src: 1).Uop(acc, acc).Build())
                    .Run(UopKernel.Alu(AluOpcode.Min, 127).Loop(to, dst: 1, src: 1).Uop(acc, acc).Build())
                    .Signal(Stage.Store);
                k.Store.WaitFor(Stage.Compute)
                    .Store(acc, DramTile.Row(@out, MemoryType.Out, (long)t * to, to))
                    .Signal(Stage.Compute);
            }

            queue.Synchronize();
        }

        double seconds = clock.Elapsed.TotalSeconds;
        var packedOut = new sbyte[batch * Channels];
        device.CopyOut(@out, 0, MemoryMarshal.AsBytes(packedOut.AsSpan()));
        sbyte[] actual = PackedLayout.UnpackActivations(packedOut, batch, Channels, 1, 1, batch, bo);
        foreach (var b in new[] { inp, wgt, @out })
        {
            device.Free(b);
        }

        int mismatches = expected.Zip(actual).Count(p => p.First != p.Second);
        var tiling = new Dictionary<string, string>
        {
            ["input_blocks_resident"] = ib.ToString(CultureInfo.InvariantCulture),
            ["output_blocks_per_tile"] = to.ToString(CultureInfo.InvariantCulture),
            ["tiles"] = (ob / to).ToString(CultureInfo.InvariantCulture),
            ["virtual_threads"] = "2",
        };
        return new DemoResult("matmul", c.Name, device.ReadCounters(), mismatches == 0, mismatches, seconds,
            c.Name == "1x16_i8w8a32_15_15_18_17" ? TvmPublished.MatrixMultiply : null, tiling);
    }

    /// <summary>The plain reference: out = clip((A · Wᵀ) &gt;&gt; 8, 0, 127), A is batch × 1024, W is 1024 (out) × 1024 (in).</summary>
    public static sbyte[] Reference(sbyte[] a, sbyte[] w, int batch)
    {
        var result = new sbyte[batch * Channels];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < Channels; o++)
            {
                int sum = 0;
                for (int i = 0; i < Channels; i++)
                {
                    sum += a[n * Channels + i] * w[o * Channels + i];
                }

                result[n * Channels + o] = (sbyte)Math.Clamp(sum >> Shift, 0, 127);
            }
        }

        return result;
    }

    internal static IEnumerable<int> Divisors(int n) => Enumerable.Range(1, n).Where(d => n % d == 0);
}
