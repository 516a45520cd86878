using Vta.Hardware.Isa;
using Vta.Sim.Races;

namespace Vta.Sim;

/// <summary>
/// Reports to an <see cref="ISramAccessObserver"/> what each instruction's data work touched, from the same shapes and
/// loop nests the kernels use. It is a separate pass after the instruction so the kernels stay untouched: without an
/// observer the cost is one null check per instruction.
/// </summary>
public sealed partial class VtaCore
{
    /// <summary>Sees every instruction's SRAM accesses (null: none, the default).</summary>
    public ISramAccessObserver? AccessObserver { get; set; }

    private void ReportAccesses(ISramAccessObserver o, Instruction insn, int index)
    {
        o.Instruction(index, insn);
        if (SkipExecution)
        {
            // Only UOP loads move data then, and GEMM/ALU indices are never checked, so report no accesses at all.
            return;
        }

        switch (insn)
        {
            case MemInsn { IsNop: true }:
                break;
            case MemInsn { Op: Opcode.Load } m:
                {
                    var (rows, cols) = LoadShape(m);
                    o.Access(BufferOf(m.MemoryType), m.SramBase, (int)(rows * cols), SramAccess.Write);
                    break;
                }

            case MemInsn m:
                // The HLS STORE reads the OUT buffer; fsim has none and narrows ACC at store time.
                o.Access(Hardware ? SramBuffer.Out : SramBuffer.Acc, m.SramBase, m.XSize * m.YSize, SramAccess.Read);
                break;
            case GemmInsn g:
                ReportGemm(o, g);
                break;
            case AluInsn a:
                ReportAlu(o, a);
                break;
        }
    }

    private void ReportGemm(ISramAccessObserver o, GemmInsn g)
    {
        if (g.UopCount == 0)
        {
            return;
        }

        o.Access(SramBuffer.Uop, g.UopBgn, g.UopEnd - g.UopBgn, SramAccess.Read);
        bool readsOperands = !g.ResetReg || Hardware; // as ExecuteGemm
        var uops = Sram.UopArray;
        for (int i = 0; i < g.IterOut; i++)
        {
            for (int j = 0; j < g.IterIn; j++)
            {
                int aBase = (i * g.DstFactorOut) + (j * g.DstFactorIn);
                int sBase = (i * g.SrcFactorOut) + (j * g.SrcFactorIn);
                int wBase = (i * g.WgtFactorOut) + (j * g.WgtFactorIn);
                for (int k = g.UopBgn; k < g.UopEnd; k++)
                {
                    Uop u = uops[k];
                    if (readsOperands)
                    {
                        o.Access(SramBuffer.Inp, u.SrcIdx + sBase, 1, SramAccess.Read);
                        o.Access(SramBuffer.Wgt, u.WgtIdx + wBase, 1, SramAccess.Read);
                    }

                    o.Access(SramBuffer.Acc, u.DstIdx + aBase, 1, SramAccess.Write);
                    if (Hardware)
                    {
                        o.Access(SramBuffer.Out, u.DstIdx + aBase, 1, SramAccess.Write); // HLS writes every result's low byte to OUT
                    }
                }
            }
        }
    }

    private void ReportAlu(ISramAccessObserver o, AluInsn a)
    {
        if (a.UopCount == 0)
        {
            return;
        }

        o.Access(SramBuffer.Uop, a.UopBgn, a.UopEnd - a.UopBgn, SramAccess.Read);
        var uops = Sram.UopArray;
        for (int i = 0; i < a.IterOut; i++)
        {
            for (int j = 0; j < a.IterIn; j++)
            {
                int aBase = (i * a.DstFactorOut) + (j * a.DstFactorIn);
                int sBase = (i * a.SrcFactorOut) + (j * a.SrcFactorIn);
                for (int k = a.UopBgn; k < a.UopEnd; k++)
                {
                    Uop u = uops[k];
                    if (!a.UseImm)
                    {
                        o.Access(SramBuffer.Acc, u.SrcIdx + sBase, 1, SramAccess.Read);
                    }

                    o.Access(SramBuffer.Acc, u.DstIdx + aBase, 1, SramAccess.Write);
                    if (Hardware)
                    {
                        o.Access(SramBuffer.Out, u.DstIdx + aBase, 1, SramAccess.Write);
                    }
                }
            }
        }
    }

    private static SramBuffer BufferOf(MemoryType t) => t switch
    {
        MemoryType.Uop => SramBuffer.Uop,
        MemoryType.Inp => SramBuffer.Inp,
        MemoryType.Wgt => SramBuffer.Wgt,
        _ => SramBuffer.Acc, // ACC and ACC_8BIT
    };
}
