using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Runtime.Tests;

/// <summary>
/// A double-buffered program for the queue tests: T tiles of one input row-block each, times one resident weight
/// block, written through two ping-pong input and accumulator halves with the full token protocol.
/// </summary>
internal sealed class TiledGemmProgram
{
    public TiledGemmProgram(VtaConfig config, int tiles, int seed)
    {
        Config = config;
        Tiles = tiles;
        var rng = new Random(seed);
        Input = new sbyte[tiles * config.InpElemBytes];
        Weight = new sbyte[config.WgtElemBytes];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Input.AsSpan()));
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Weight.AsSpan()));
    }

    public VtaConfig Config { get; }

    public int Tiles { get; }

    public sbyte[] Input { get; }

    public sbyte[] Weight { get; }

    /// <summary>The plain reference: out[t][b][o] = low byte of Σ_c in[t][b][c] · w[o][c].</summary>
    public sbyte[] Reference()
    {
        int batch = Config.Batch, bi = Config.BlockIn, bo = Config.BlockOut;
        var result = new sbyte[Tiles * batch * bo];
        for (int t = 0; t < Tiles; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                for (int o = 0; o < bo; o++)
                {
                    int sum = 0;
                    for (int c = 0; c < bi; c++)
                    {
                        sum += Input[(t * batch + b) * bi + c] * Weight[o * bi + c];
                    }

                    result[(t * batch + b) * bo + o] = (sbyte)sum;
                }
            }
        }

        return result;
    }

    public sbyte[] Run(IVtaDevice device, CommandQueue q)
    {
        var inp = device.Allocate(Input.Length);
        var wgt = device.Allocate(Weight.Length);
        var @out = device.Allocate(Tiles * Config.OutElemBytes);
        device.CopyIn(inp, 0, System.Runtime.InteropServices.MemoryMarshal.AsBytes(Input.AsSpan()));
        device.CopyIn(wgt, 0, System.Runtime.InteropServices.MemoryMarshal.AsBytes(Weight.AsSpan()));

        // The weight block is loaded once; compute waits for it through the first tile's l2g token.
        q.LoadBuffer2D(wgt, 0, 1, 1, 1, 0, 0, 0, 0, 0, MemoryType.Wgt);
        for (int t = 0; t < Tiles; t++)
        {
            int h = t % 2;
            if (t >= 2)
            {
                q.DepPop(Stage.Compute, Stage.Load); // input half h is free again
            }

            q.LoadBuffer2D(inp, t, 1, 1, 1, 0, 0, 0, 0, h, MemoryType.Inp);
            q.DepPush(Stage.Load, Stage.Compute);

            q.DepPop(Stage.Load, Stage.Compute);
            if (t >= 2)
            {
                q.DepPop(Stage.Store, Stage.Compute); // accumulator half h was stored
            }

            q.Push(UopKernel.Gemm(reset: true).Uop(h, 0, 0).Build());
            q.Push(UopKernel.Gemm().Uop(h, h, 0).Build());
            q.DepPush(Stage.Compute, Stage.Load);
            q.DepPush(Stage.Compute, Stage.Store);

            q.DepPop(Stage.Compute, Stage.Store);
            q.StoreBuffer2D(h, MemoryType.Out, @out, t, 1, 1, 1);
            q.DepPush(Stage.Store, Stage.Compute);
        }

        q.Synchronize();
        var result = new sbyte[Tiles * Config.OutElemBytes];
        device.CopyOut(@out, 0, System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }
}
