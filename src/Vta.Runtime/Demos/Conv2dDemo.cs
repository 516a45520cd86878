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
/// TVM's "2D convolution optimization" tutorial: BATCH × 256 × 14 × 14 int8 input, 256 × 256 × 3 × 3 int8
/// weights, pad 1, stride 1, then &gt;&gt; 8, clip to [0, 127], int8 out, with two virtual threads. The schedule keeps
/// a whole output-channel tile in the accumulators while input-channel tiles stream through two ping-pong halves
/// of the INP and WGT buffers, so every weight is loaded once (TVM's schedule loads them twice) and each input
/// tile once per output-channel tile. Padding is done by the LOAD pads, not in DRAM.
/// </summary>
public static class Conv2dDemo
{
    public const int Size = 14;
    public const int Channels = 256;
    public const int Kernel = 3;
    public const int Shift = 8;

    public static DemoResult Run(IVtaDevice device, int seed = 0, CommandQueueOptions? options = null)
    {
        var c = device.Config;
        int batch = c.Batch, bi = c.BlockIn, bo = c.BlockOut;
        int cib = Channels / bi, cob = Channels / bo;
        const int H = Size, W = Size, Hp = Size + 2, Wp = Size + 2, Taps = Kernel * Kernel;
        int pixels = H * W;

        // to output blocks × all pixels fill the accumulators; ct input blocks per ping-pong half of INP and WGT.
        int to = MatmulDemo.Divisors(cob).Where(d => d * pixels <= c.AccBuffDepth && d * pixels < 1 << 14).DefaultIfEmpty(0).Max();
        int ct = to == 0 ? 0 : MatmulDemo.Divisors(cib).Where(d => 2 * d * Hp * Wp <= c.InpBuffDepth && 2 * to * d * Taps <= c.WgtBuffDepth).DefaultIfEmpty(0).Max();
        if (to == 0 || ct == 0)
        {
            throw new VtaRuntimeException(to == 0
                ? $"conv2d: one output block of {pixels} pixels does not fit the {c.AccBuffDepth}-element ACC buffer"
                : $"conv2d: two padded input blocks need {2 * Hp * Wp} INP and {2 * to * Taps} WGT elements; the buffers hold {c.InpBuffDepth} and {c.WgtBuffDepth}");
        }

        var rng = new Random(seed);
        var data = new sbyte[batch * Channels * pixels];
        var weight = new sbyte[Channels * Channels * Taps];
        rng.NextBytes(MemoryMarshal.AsBytes(data.AsSpan()));
        rng.NextBytes(MemoryMarshal.AsBytes(weight.AsSpan()));
        sbyte[] expected = Reference(data, weight, batch);

        sbyte[] dPacked = PackedLayout.PackActivations(data, batch, Channels, H, W, batch, bi);
        sbyte[] wPacked = PackedLayout.PackWeights(weight, Channels, Channels, Kernel, Kernel, bo, bi);
        var inp = device.Allocate(dPacked.Length);
        var wgt = device.Allocate(wPacked.Length);
        var @out = device.Allocate(batch * Channels * pixels);
        device.CopyIn(inp, 0, MemoryMarshal.AsBytes(dPacked.AsSpan()));
        device.CopyIn(wgt, 0, MemoryMarshal.AsBytes(wPacked.AsSpan()));

        // Kernels: the output pixel column x is the inner loop, output blocks the outer one; the micro-ops walk
        // taps, input blocks and rows, so no micro-op writes the accumulator of either of the two before it.
        var reset = UopKernel.Gemm(reset: true).Loop(to, dst: pixels, src: 0).Loop(W, dst: 1, src: 0);
        for (int y = 0; y < H; y++)
        {
            reset.Uop(y * W, 0, 0);
        }

        var gemm = new UopKernel[2];
        for (int h = 0; h < 2; h++)
        {
            var g = UopKernel.Gemm().Loop(to, dst: pixels, src: 0, wgt: ct * Taps).Loop(W, dst: 1, src: 1, wgt: 0);
            for (int tap = 0; tap < Taps; tap++)
            {
                for (int ci = 0; ci < ct; ci++)
                {
                    for (int y = 0; y < H; y++)
                    {
                        int src = (h * ct + ci) * Hp * Wp + (y + tap / Kernel) * Wp + tap % Kernel;
                        g.Uop(y * W, src, h * to * ct * Taps + ci * Taps + tap);
                    }
                }
            }

            gemm[h] = g.Build();
        }

        var epilogue = new[]
        {
            UopKernel.Alu(AluOpcode.Shr, Shift).Loop(to * pixels, dst: 1, src: 1).Uop(0, 0).Build(),
            UopKernel.Alu(AluOpcode.Max, 0).Loop(to * pixels, dst: 1, src: 1).Uop(0, 0).Build(),
            UopKernel.Alu(AluOpcode.Min, 127).Loop(to * pixels, dst: 1, src: 1).Uop(0, 0).Build(),
        };

        device.ClearCounters();
        var clock = Stopwatch.StartNew();
        using (var queue = new CommandQueue(device, options))
        {
            var k = new KernelBuilder(queue);
            var resetKernel = reset.Build();
            int step = 0;
            for (int ot = 0; ot < cob / to; ot++)
            {
                for (int it = 0; it < cib / ct; it++, step++)
                {
                    int h = step % 2;
                    k.Load.WaitFor(Stage.Compute, when: step >= 2);
                    for (int ci = 0; ci < ct; ci++)
                    {
                        var rows = new DramTile(inp, MemoryType.Inp, (long)(it * ct + ci) * pixels, H, W, W);
                        k.Load.Tile(rows, sram: (h * ct + ci) * Hp * Wp, Pads.All(1));
                    }

                    k.Load.Tile(new DramTile(wgt, MemoryType.Wgt, ((long)ot * to * cib + it * ct) * Taps, to, ct * Taps, cib * Taps), sram: h * to * ct * Taps)
                        .Signal(Stage.Compute);

                    k.Compute.WaitFor(Stage.Load);
                    if (it == 0)
                    {
                        k.Compute.WaitFor(Stage.Store, when: ot > 0).Run(resetKernel);
                    }

                    k.Compute.Run(gemm[h]).Signal(Stage.Load);
                    if (it == cib / ct - 1)
                    {
                        foreach (var op in epilogue)
                        {
                            k.Compute.Run(op);
                        }

                        k.Compute.Signal(Stage.Store);
                        k.Store.WaitFor(Stage.Compute)
                            .Store(0, DramTile.Row(@out, MemoryType.Out, (long)ot * to * pixels, to * pixels))
                            .Signal(Stage.Compute);
                    }
                }
            }

            queue.Synchronize();
        }

        double seconds = clock.Elapsed.TotalSeconds;
        var packedOut = new sbyte[batch * Channels * pixels];
        device.CopyOut(@out, 0, MemoryMarshal.AsBytes(packedOut.AsSpan()));
        sbyte[] actual = PackedLayout.UnpackActivations(packedOut, batch, Channels, H, W, batch, bo);
        foreach (var b in new[] { inp, wgt, @out })
        {
            device.Free(b);
        }

        int mismatches = expected.Zip(actual).Count(p => p.First != p.Second);
        var tiling = new Dictionary<string, string>
        {
            ["output_blocks_per_tile"] = to.ToString(CultureInfo.InvariantCulture),
            ["input_blocks_per_tile"] = ct.ToString(CultureInfo.InvariantCulture),
            ["output_tiles"] = (cob / to).ToString(CultureInfo.InvariantCulture),
            ["input_tiles"] = (cib / ct).ToString(CultureInfo.InvariantCulture),
            ["virtual_threads"] = "2",
        };
        return new DemoResult("conv2d", c.Name, device.ReadCounters(), mismatches == 0, mismatches, seconds,
            c.Name == "1x16_i8w8a32_15_15_18_17" ? TvmPublished.Convolution : null, tiling);
    }

    /// <summary>The plain NCHW reference: 3×3 conv, pad 1, stride 1, int32 sum, then clip(sum &gt;&gt; 8, 0, 127).</summary>
    public static sbyte[] Reference(sbyte[] data, sbyte[] weight, int batch)
    {
        const int H = Size, W = Size;
        var result = new sbyte[batch * Channels * H * W];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < Channels; o++)
            {
                for (int y = 0; y < H; y++)
                {
                    for (int x = 0; x < W; x++)
                    {
                        int sum = 0;
                        for (int i = 0; i < Channels; i++)
                        {
                            for (int ky = 0; ky < Kernel; ky++)
                            {
                                int yy = y + ky - 1;
                                if (yy < 0 || yy >= H)
                                {
                                    continue;
                                }

                                for (int kx = 0; kx < Kernel; kx++)
                                {
                                    int xx = x + kx - 1;
                                    if (xx >= 0 && xx < W)
                                    {
                                        sum += data[((n * Channels + i) * H + yy) * W + xx] * weight[((o * Channels + i) * Kernel + ky) * Kernel + kx];
                                    }
                                }
                            }
                        }

                        result[((n * Channels + o) * H + y) * W + x] = (sbyte)Math.Clamp(sum >> Shift, 0, 127);
                    }
                }
            }
        }

        return result;
    }
}
