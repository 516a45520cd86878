using Vta.Hardware.Isa;
using Vta.Runtime.Commands;

namespace Vta.Runtime.Kernels;

/// <summary>
/// Work on one pipeline stage, written in order: wait for a token, do the work, signal a token.
/// <code>k.Load.WaitFor(Stage.Compute).Tile(wgt, sram: 0).Signal(Stage.Compute);</code>
/// </summary>
public sealed class StageBlock
{
    private readonly CommandQueue _queue;

    internal StageBlock(CommandQueue queue, Stage stage)
    {
        _queue = queue;
        Stage = stage;
    }

    public Stage Stage { get; }

    /// <summary>The next instruction on this stage waits for a token from <paramref name="from"/>.</summary>
    public StageBlock WaitFor(Stage from, bool when = true)
    {
        if (when)
        {
            _queue.DepPop(from, Stage);
        }

        return this;
    }

    /// <summary>After the instructions so far, send a token to <paramref name="to"/>.</summary>
    public StageBlock Signal(Stage to, bool when = true)
    {
        if (when)
        {
            _queue.DepPush(Stage, to);
        }

        return this;
    }

    /// <summary>Loads a DRAM tile into SRAM element <paramref name="sram"/> (INP and WGT on the load stage, ACC on compute).</summary>
    public StageBlock Tile(DramTile tile, int sram, Pads pads = default)
    {
        RequireStage(Stages.Of(new MemInsn(Opcode.Load, DepFlags.None, tile.Type, 0, 0, 0, 0, 0)), $"LOAD {tile.Type}");
        _queue.LoadBuffer2D(tile.Buffer, tile.Offset, tile.Cols, tile.Rows, tile.Stride, pads.Left, pads.Top, pads.Right, pads.Bottom, sram, tile.Type);
        return this;
    }

    /// <summary>Stores SRAM OUT elements starting at <paramref name="sram"/> (dense) into a DRAM tile.</summary>
    public StageBlock Store(int sram, DramTile tile)
    {
        RequireStage(Stage.Store, "STORE");
        _queue.StoreBuffer2D(sram, tile.Type, tile.Buffer, tile.Offset, tile.Cols, tile.Rows, tile.Stride);
        return this;
    }

    /// <summary>Runs a GEMM or ALU micro-op kernel.</summary>
    public StageBlock Run(UopKernel kernel)
    {
        RequireStage(Stage.Compute, kernel.Mode.ToString().ToUpperInvariant());
        _queue.Push(kernel);
        return this;
    }

    private void RequireStage(Stage stage, string what)
    {
        if (stage != Stage)
        {
            throw new VtaRuntimeException($"{what} runs on the {stage} stage, not on the {Stage} stage");
        }
    }
}
