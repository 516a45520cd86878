using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// Plain scalar GEMM and ALU, written straight from the ISA semantics. The simulator's vector kernels are tested against
/// these bit for bit, and benchmarks use them as the baseline. Indices are not range-checked beyond the spans' own
/// bounds checks; the simulator validates them before calling any kernel.
/// </summary>
public static class ReferenceKernels
{
    /// <summary>One GEMM instruction over the given SRAM contents (layouts as <see cref="SramBuffers"/>).</summary>
    public static void Gemm(VtaConfig config, GemmInsn insn, ReadOnlySpan<Uop> uops, ReadOnlySpan<sbyte> inp,
        ReadOnlySpan<sbyte> wgt, Span<int> acc, Span<sbyte> outBuf, OutSemantics semantics)
    {
        int batch = config.Batch;
        int blockIn = config.BlockIn;
        int blockOut = config.BlockOut;
        bool hardware = semantics == OutSemantics.Hardware;
        for (int i = 0; i < insn.IterOut; i++)
        {
            for (int j = 0; j < insn.IterIn; j++)
            {
                for (int k = insn.UopBgn; k < insn.UopEnd; k++)
                {
                    var u = uops[k];
                    int a = u.DstIdx + (i * insn.DstFactorOut) + (j * insn.DstFactorIn);
                    int s = u.SrcIdx + (i * insn.SrcFactorOut) + (j * insn.SrcFactorIn);
                    int w = u.WgtIdx + (i * insn.WgtFactorOut) + (j * insn.WgtFactorIn);
                    for (int b = 0; b < batch; b++)
                    {
                        for (int o = 0; o < blockOut; o++)
                        {
                            int lane = (((a * batch) + b) * blockOut) + o;
                            if (insn.ResetReg && !hardware)
                            {
                                acc[lane] = 0;
                                continue;
                            }

                            int sum = 0;
                            for (int c = 0; c < blockIn; c++)
                            {
                                sum += inp[(((s * batch) + b) * blockIn) + c] * wgt[(((w * blockOut) + o) * blockIn) + c];
                            }

                            int value = unchecked(acc[lane] + sum);
                            if (hardware)
                            {
                                // HLS quirk: a reset GEMM still writes old_acc + dot to OUT, then zeroes ACC.
                                outBuf[lane] = (sbyte)value;
                            }

                            acc[lane] = insn.ResetReg ? 0 : value;
                        }
                    }
                }
            }
        }
    }

    /// <summary>One ALU instruction over the accumulator (and, in Hardware semantics, the OUT buffer).</summary>
    public static void Alu(VtaConfig config, AluInsn insn, ReadOnlySpan<Uop> uops, Span<int> acc, Span<sbyte> outBuf,
        OutSemantics semantics)
    {
        int lanes = config.Batch * config.BlockOut;
        for (int i = 0; i < insn.IterOut; i++)
        {
            for (int j = 0; j < insn.IterIn; j++)
            {
                for (int k = insn.UopBgn; k < insn.UopEnd; k++)
                {
                    var u = uops[k];
                    int a = u.DstIdx + (i * insn.DstFactorOut) + (j * insn.DstFactorIn);
                    int s = u.SrcIdx + (i * insn.SrcFactorOut) + (j * insn.SrcFactorIn);
                    for (int l = 0; l < lanes; l++)
                    {
                        int x = acc[(a * lanes) + l];
                        int y = insn.UseImm ? insn.Imm : acc[(s * lanes) + l];
                        int r = AluOp(insn.AluOpcode, x, y, semantics);
                        acc[(a * lanes) + l] = r;
                        if (semantics == OutSemantics.Hardware)
                        {
                            outBuf[(a * lanes) + l] = (sbyte)r;
                        }
                    }
                }
            }
        }
    }

    /// <summary>f(x, y) of one ALU lane.</summary>
    public static int AluOp(AluOpcode op, int x, int y, OutSemantics semantics) => op switch
    {
        AluOpcode.Min => Math.Min(x, y),
        AluOpcode.Max => Math.Max(x, y),
        AluOpcode.Add => unchecked(x + y),
        AluOpcode.Mul => unchecked(x * y),
        AluOpcode.Shr => Shr(x, y, semantics),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown ALU opcode"),
    };

    /// <summary>
    /// SHR. Fsim: y ≥ 0 shifts right arithmetically by y, y &lt; 0 shifts left by −y; C leaves |y| ≥ 32 undefined and we
    /// follow x86, which uses the amount mod 32. Hardware (HLS ap_int): the low 5 bits of y read as signed (−16..15),
    /// negative ⇒ left shift.
    /// </summary>
    public static int Shr(int x, int y, OutSemantics semantics)
    {
        if (semantics == OutSemantics.Hardware)
        {
            y = (y << 27) >> 27;
        }

        return y >= 0 ? x >> (y & 31) : x << (-y & 31);
    }
}
