using Vta.Compiler.Ops.GroupConv2d;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Ops.Conv2d;

/// <summary>
/// conv2d → the normalized problem: one phase whose taps are the kernel positions, input offsets ky − pad_top and
/// kx − pad_left, so the LOAD pads supply the border. Output channels are padded to whole blocks (as graph_pack
/// pads O); input channels must be whole blocks. Grouped convolutions go to <see cref="GroupConv2dOp"/>.
/// </summary>
public static class Conv2dOp
{
    public static ConvLowering Lower(Conv2dWorkload w, VtaConfig config)
    {
        ValidateCommon(w);
        if (w.Groups > 1)
        {
            return GroupConv2dOp.Lower(w, config);
        }

        if (w.InChannels % config.BlockIn != 0)
        {
            throw new VtaCompileException(w.Name, $"{w.InChannels} input channels is not a multiple of BLOCK_IN = {config.BlockIn} (input channels cannot be padded on the accelerator)");
        }

        int outBlocks = (w.OutChannels + config.BlockOut - 1) / config.BlockOut;
        return new ConvLowering(Problem(w, config, groups: 1, w.InChannels / config.BlockIn, outBlocks), Epilogue.Conv(w.Shift, bias: true, w.Residual));
    }

    /// <summary>The geometry shared by plain and grouped convolutions.</summary>
    internal static ConvProblem Problem(Conv2dWorkload w, VtaConfig config, int groups, int inBlocks, int outBlocks)
    {
        var taps = new List<ConvTap>();
        for (int ky = 0; ky < w.KernelH; ky++)
        {
            for (int kx = 0; kx < w.KernelW; kx++)
            {
                taps.Add(new ConvTap(ky - w.Pad.Top, kx - w.Pad.Left, ky * w.KernelW + kx));
            }
        }

        var problem = new ConvProblem
        {
            Layer = w.Name,
            BatchBlocks = (w.N + config.Batch - 1) / config.Batch,
            Groups = groups,
            InBlocks = inBlocks,
            OutBlocks = outBlocks,
            InHeight = w.Height,
            InWidth = w.Width,
            OutHeight = w.OutHeight,
            OutWidth = w.OutWidth,
            WeightTaps = w.KernelH * w.KernelW,
            Rows = new ConvAxis(w.OutHeight, w.Height, w.StrideH, -w.Pad.Top, w.KernelH - 1 - w.Pad.Top, Decimate: w.KernelH == 1 && w.StrideH > 1),
            Cols = new ConvAxis(w.OutWidth, w.Width, w.StrideW, -w.Pad.Left, w.KernelW - 1 - w.Pad.Left, Decimate: false),
            Phases = [new ConvPhase(0, 0, taps, (w.KernelH, w.KernelW))],
        };
        problem.Validate();
        return problem;
    }

    private static void ValidateCommon(Conv2dWorkload w)
    {
        string layer = w.Name;
        Positive(layer, ("batch", w.N), ("height", w.Height), ("width", w.Width), ("input channels", w.InChannels),
            ("output channels", w.OutChannels), ("kernel height", w.KernelH), ("kernel width", w.KernelW), ("groups", w.Groups));
        if (w.StrideH < 1 || w.StrideW < 1)
        {
            throw new VtaCompileException(layer, $"stride {w.StrideH}×{w.StrideW}: strides must be at least 1");
        }

        if (w.Dilation != 1)
        {
            throw new VtaCompileException(layer, $"dilation {w.Dilation}: only dilation 1 is supported (TVM's VTA schedules require it too)");
        }

        var p = w.Pad;
        if (p.Top < 0 || p.Left < 0 || p.Bottom < 0 || p.Right < 0)
        {
            throw new VtaCompileException(layer, $"negative padding {p}");
        }

        if (p.Top >= w.KernelH || p.Bottom >= w.KernelH || p.Left >= w.KernelW || p.Right >= w.KernelW)
        {
            throw new VtaCompileException(layer, $"padding {p} must be smaller than the {w.KernelH}×{w.KernelW} kernel (an output would see only padding)");
        }

        if (w.OutHeight < 1 || w.OutWidth < 1)
        {
            throw new VtaCompileException(layer, $"the {w.KernelH}×{w.KernelW} kernel is larger than the padded {w.Height}×{w.Width} input");
        }

        Epilogue.Conv(w.Shift, bias: true).Validate(layer);
    }

    internal static void Positive(string layer, params (string Name, int Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (value < 1)
            {
                throw new VtaCompileException(layer, $"{name} = {value}: must be at least 1");
            }
        }
    }
}
