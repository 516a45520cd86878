using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Ops.GroupConv2d;

/// <summary>
/// Grouped conv2d (MobileNet-style): group g's output blocks read only its own input blocks, so the normalized problem
/// carries a group dimension that tiles like a channel dimension. Channels per group must be whole blocks on both
/// sides; a group is never split across a block (that would multiply other groups' channels by zero weights).
/// </summary>
public static class GroupConv2dOp
{
    public static ConvLowering Lower(Conv2dWorkload w, VtaConfig config)
    {
        if (w.InChannels % w.Groups != 0 || w.OutChannels % w.Groups != 0)
        {
            throw new VtaCompileException(w.Name, $"{w.InChannels} input and {w.OutChannels} output channels do not divide into {w.Groups} groups");
        }

        int inPerGroup = w.InChannels / w.Groups, outPerGroup = w.OutChannels / w.Groups;
        if (inPerGroup % config.BlockIn != 0 || outPerGroup % config.BlockOut != 0)
        {
            int bad = inPerGroup % config.BlockIn != 0 ? inPerGroup : outPerGroup;
            int block = inPerGroup % config.BlockIn != 0 ? config.BlockIn : config.BlockOut;
            throw new VtaCompileException(w.Name,
                $"{bad} channels per group is not a multiple of the {block}-channel block of {config.Name}: grouped convolutions need whole blocks per group");
        }

        var problem = Conv2dOp.Problem(w, config, w.Groups, inPerGroup / config.BlockIn, outPerGroup / config.BlockOut);
        return new ConvLowering(problem, Epilogue.Conv(w.Shift, bias: true, w.Residual));
    }
}
