using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Ops.Dense;

/// <summary>
/// dense → the normalized problem with a 1×1 image: batch blocks play the part of pixels, so tiles span many rows of
/// the batch and each weight tile is reused across all of them. Output channels are padded to whole blocks.
/// </summary>
public static class DenseOp
{
    public static ConvLowering Lower(DenseWorkload w, VtaConfig config)
    {
        Conv2dOp.Positive(w.Name, ("batch", w.N), ("input channels", w.InChannels), ("output channels", w.OutChannels));
        if (w.InChannels % config.BlockIn != 0)
        {
            throw new VtaCompileException(w.Name, $"{w.InChannels} input channels is not a multiple of BLOCK_IN = {config.BlockIn} (input channels cannot be padded on the accelerator)");
        }

        var epilogue = new Epilogue([new ShiftRight(w.Shift), new Clip(0, 127)]);
        epilogue.Validate(w.Name);
        var unit = new ConvAxis(1, 1, 1, 0, 0, Decimate: false);
        var problem = new ConvProblem
        {
            Layer = w.Name,
            BatchBlocks = (w.N + config.Batch - 1) / config.Batch,
            InBlocks = w.InChannels / config.BlockIn,
            OutBlocks = (w.OutChannels + config.BlockOut - 1) / config.BlockOut,
            InHeight = 1,
            InWidth = 1,
            OutHeight = 1,
            OutWidth = 1,
            WeightTaps = 1,
            Rows = unit,
            Cols = unit,
            Phases = [new ConvPhase(0, 0, [new ConvTap(0, 0, 0)])],
        };
        problem.Validate();
        return new ConvLowering(problem, epilogue);
    }
}
