using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Ops.Conv2dTranspose;

/// <summary>
/// conv2d-transpose by stride phases. Output row y = s·m + r only receives kernel rows ky ≡ r + pad (mod s), from input
/// row m + (r + pad − ky)/s; so each of the s² output residues is a stride-1 sub-convolution with its own sub-kernel,
/// and no GEMM ever multiplies one of the zeros TVM's schedule inserts between input pixels. All phases write the
/// same accumulator tile (interleaved through the micro-op dst factors), so the tile is stored with dense rows.
/// Weights arrive as (CI, CO, K, K) and are packed as OIHW{o}o{i}i with I and O swapped, not flipped.
/// </summary>
public static class Conv2dTransposeOp
{
    public static ConvLowering Lower(Conv2dTransposeWorkload w, VtaConfig config)
    {
        string layer = w.Name;
        Conv2dOp.Positive(layer, ("batch", w.N), ("height", w.Height), ("width", w.Width), ("input channels", w.InChannels),
            ("output channels", w.OutChannels), ("kernel", w.Kernel), ("stride", w.Stride));
        if (w.OutputPad != 0)
        {
            throw new VtaCompileException(layer, $"output padding {w.OutputPad}: only 0 is supported (as in TVM's VTA schedule)");
        }

        if (w.Pad < 0 || w.Pad >= w.Kernel)
        {
            throw new VtaCompileException(layer, $"padding {w.Pad} must be in 0..{w.Kernel - 1} for a {w.Kernel}×{w.Kernel} kernel");
        }

        if ((w.Kernel - 2 * w.Pad) % w.Stride != 0 || w.OutHeight < w.Stride)
        {
            throw new VtaCompileException(layer,
                $"output {w.OutHeight}×{w.OutWidth} is not a whole number of stride-{w.Stride} phases (kernel − 2·pad must be a multiple of the stride)");
        }

        if (w.InChannels % config.BlockIn != 0)
        {
            throw new VtaCompileException(layer, $"{w.InChannels} input channels is not a multiple of BLOCK_IN = {config.BlockIn} (input channels cannot be padded on the accelerator)");
        }

        var epilogue = new Epilogue([new ShiftRight(w.Shift), new Clip(0, 127)]);
        epilogue.Validate(layer);
        var phases = Phases(w.Kernel, w.Stride, w.Pad);
        var taps = phases.SelectMany(p => p.Taps).ToList();
        var problem = new ConvProblem
        {
            Layer = layer,
            BatchBlocks = (w.N + config.Batch - 1) / config.Batch,
            InBlocks = w.InChannels / config.BlockIn,
            OutBlocks = (w.OutChannels + config.BlockOut - 1) / config.BlockOut,
            InHeight = w.Height,
            InWidth = w.Width,
            OutHeight = w.OutHeight,
            OutWidth = w.OutWidth,
            WeightTaps = w.Kernel * w.Kernel,
            Rows = new ConvAxis(w.OutHeight / w.Stride, w.Height, 1, taps.Min(t => t.Dy), taps.Max(t => t.Dy), Decimate: false),
            Cols = new ConvAxis(w.OutWidth / w.Stride, w.Width, 1, taps.Min(t => t.Dx), taps.Max(t => t.Dx), Decimate: false),
            OutStepY = w.Stride,
            OutStepX = w.Stride,
            Phases = phases,
        };
        problem.Validate();
        return new ConvLowering(problem, epilogue);
    }

    /// <summary>The s² phases with the taps that reach real (non-inserted) input.</summary>
    public static IReadOnlyList<ConvPhase> Phases(int kernel, int stride, int pad)
    {
        var phases = new List<ConvPhase>();
        for (int ry = 0; ry < stride; ry++)
        {
            for (int rx = 0; rx < stride; rx++)
            {
                var taps = new List<ConvTap>();
                foreach (int ky in Residue(kernel, stride, ry + pad))
                {
                    foreach (int kx in Residue(kernel, stride, rx + pad))
                    {
                        taps.Add(new ConvTap((ry + pad - ky) / stride, (rx + pad - kx) / stride, ky * kernel + kx));
                    }
                }

                phases.Add(new ConvPhase(ry, rx, taps));
            }
        }

        return phases;
    }

    private static IEnumerable<int> Residue(int kernel, int stride, int target) =>
        Enumerable.Range(0, kernel).Where(k => ((target - k) % stride + stride) % stride == 0);
}
