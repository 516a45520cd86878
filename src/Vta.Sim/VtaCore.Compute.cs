using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>GEMM and ALU: counting, index checks over the whole loop nest, then the vector kernels.</summary>
public sealed partial class VtaCore
{
    private void ExecuteGemm(GemmInsn g, int index)
    {
        if (!g.ResetReg)
        {
            Counters.GemmCounter += g.UopCount; // TVM does not count reset GEMMs
        }

        if (SkipExecution || g.UopCount == 0)
        {
            return;
        }

        // fsim's reset reads neither INP nor WGT; the HLS reset computes the dot product anyway (for its OUT quirk).
        bool readsOperands = !g.ResetReg || Hardware;
        var uops = Sram.UopArray;
        for (int k = g.UopBgn; k < g.UopEnd; k++)
        {
            var u = uops[k];
            CheckIndex("GEMM", "dst", "ACC", k, u.DstIdx, g.DstFactorOut, g.DstFactorIn, g.IterOut, g.IterIn, Config.AccBuffDepth, index);
            if (readsOperands)
            {
                CheckIndex("GEMM", "src", "INP", k, u.SrcIdx, g.SrcFactorOut, g.SrcFactorIn, g.IterOut, g.IterIn, Config.InpBuffDepth, index);
                CheckIndex("GEMM", "wgt", "WGT", k, u.WgtIdx, g.WgtFactorOut, g.WgtFactorIn, g.IterOut, g.IterIn, Config.WgtBuffDepth, index);
            }
        }

        Sram.WgtPairs.EnsureCurrent(Sram.WgtArray);
        GemmKernels.Run(g, Sram, Config, Hardware, KernelPath);
    }

    private void ExecuteAlu(AluInsn a, int index)
    {
        Counters.AluCounter += a.UopCount;
        if (SkipExecution || a.UopCount == 0)
        {
            return;
        }

        var uops = Sram.UopArray;
        for (int k = a.UopBgn; k < a.UopEnd; k++)
        {
            var u = uops[k];
            CheckIndex("ALU", "dst", "ACC", k, u.DstIdx, a.DstFactorOut, a.DstFactorIn, a.IterOut, a.IterIn, Config.AccBuffDepth, index);
            if (!a.UseImm)
            {
                // With an immediate the source tile is never read, so its index is not checked.
                CheckIndex("ALU", "src", "ACC", k, u.SrcIdx, a.SrcFactorOut, a.SrcFactorIn, a.IterOut, a.IterIn, Config.AccBuffDepth, index);
            }
        }

        AluKernels.Run(a, Sram, Config, Hardware, KernelPath);
    }

    /// <summary>
    /// Factors are non-negative, so the largest index of a uop is at the last (i, j); if that is out of range, report the
    /// first (i, j) in execution order that is.
    /// </summary>
    private static void CheckIndex(string kind, string field, string buffer, int k, int idx, int factorOut, int factorIn,
        int iterOut, int iterIn, int depth, int index)
    {
        long max = idx + ((long)(iterOut - 1) * factorOut) + ((long)(iterIn - 1) * factorIn);
        if (max < depth)
        {
            return;
        }

        for (int i = 0; i < iterOut; i++)
        {
            long rowBase = idx + ((long)i * factorOut);
            long last = rowBase + ((long)(iterIn - 1) * factorIn);
            if (last < depth)
            {
                continue;
            }

            long j = rowBase >= depth ? 0 : (depth - rowBase + factorIn - 1) / factorIn;
            long value = rowBase + (j * factorIn);
            throw new VtaSimException(
                $"{kind} {buffer} index {value} is out of range (the {buffer} buffer has {depth} elements): uop {k} {field}_idx {idx} " +
                $"+ i {i} × {field}_factor_out {factorOut} + j {j} × {field}_factor_in {factorIn}", index);
        }
    }
}
