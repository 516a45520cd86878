using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// The ALU loop nest, vectorized per accumulator tile. Each operation is a struct so the generic loop is specialized
/// and inlined per opcode. Indices must already be validated.
/// </summary>
internal static unsafe class AluKernels
{
    public static void Run(AluInsn insn, SramBuffers sram, VtaConfig config, bool hardware, KernelPath path)
    {
        var semantics = hardware ? OutSemantics.Hardware : OutSemantics.Fsim;
        int imm = insn.Imm; // sign-extended
        switch (insn.AluOpcode)
        {
            case AluOpcode.Min:
                Loop(new MinOp(), insn, sram, config, hardware, path);
                break;
            case AluOpcode.Max:
                Loop(new MaxOp(), insn, sram, config, hardware, path);
                break;
            case AluOpcode.Add:
                Loop(new AddOp(), insn, sram, config, hardware, path);
                break;
            case AluOpcode.Mul:
                Loop(new MulOp(), insn, sram, config, hardware, path);
                break;
            case AluOpcode.Shr when insn.UseImm:
                {
                    // A constant amount: decide the direction once and shift every lane uniformly.
                    int y = hardware ? (imm << 27) >> 27 : imm;
                    Loop(new ShiftImmOp(y >= 0 ? y & 31 : -y & 31, y < 0), insn, sram, config, hardware, path);
                    break;
                }

            case AluOpcode.Shr when Avx2.IsSupported && path == KernelPath.Best:
                Loop(new ShiftVarAvx2Op(hardware), insn, sram, config, hardware, path);
                break;
            case AluOpcode.Shr:
                Loop(new ShiftScalarOp(semantics), insn, sram, config, hardware, KernelPath.Scalar);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(insn), insn.AluOpcode, "unknown ALU opcode");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a few calls, each running many uops: skip tier 0
    private static void Loop<TOp>(TOp op, AluInsn insn, SramBuffers sram, VtaConfig config, bool hardware, KernelPath path)
        where TOp : struct, IAluOp
    {
        int lanes = config.Batch * config.BlockOut;
        int width = path == KernelPath.Scalar ? 1
            : path == KernelPath.Best && Vector256.IsHardwareAccelerated && lanes >= 8 ? 8
            : Vector128.IsHardwareAccelerated && lanes >= 4 ? 4 : 1;
        var immVec = Vector256.Create((int)insn.Imm);
        fixed (int* acc = sram.AccArray)
        fixed (sbyte* outBuf = sram.OutArray)
        fixed (Uop* uops = sram.UopArray)
        {
            for (int i = 0; i < insn.IterOut; i++)
            {
                for (int j = 0; j < insn.IterIn; j++)
                {
                    int aBase = (i * insn.DstFactorOut) + (j * insn.DstFactorIn);
                    int sBase = (i * insn.SrcFactorOut) + (j * insn.SrcFactorIn);
                    for (int k = insn.UopBgn; k < insn.UopEnd; k++)
                    {
                        Uop u = uops[k];
                        long a = u.DstIdx + aBase;
                        int* dst = acc + (a * lanes);
                        int* src = insn.UseImm ? null : acc + ((long)(u.SrcIdx + sBase) * lanes);
                        int l = 0;
                        if (width == 8)
                        {
                            for (; l + 8 <= lanes; l += 8)
                            {
                                var y = src == null ? immVec : Vector256.Load(src + l);
                                Vector256.Store(op.Apply(Vector256.Load(dst + l), y), dst + l);
                            }
                        }
                        else if (width == 4)
                        {
                            for (; l + 4 <= lanes; l += 4)
                            {
                                var y = src == null ? immVec.GetLower() : Vector128.Load(src + l);
                                Vector128.Store(op.Apply(Vector128.Load(dst + l), y), dst + l);
                            }
                        }

                        for (; l < lanes; l++)
                        {
                            dst[l] = op.Apply(dst[l], src == null ? insn.Imm : src[l]);
                        }

                        if (hardware)
                        {
                            // HLS writes the low 8 bits of every ALU result to the OUT buffer too.
                            NarrowKernels.Truncate(new ReadOnlySpan<int>(dst, lanes), new Span<sbyte>(outBuf + (a * lanes), lanes));
                        }
                    }
                }
            }
        }
    }

    private interface IAluOp
    {
        int Apply(int x, int y);

        Vector128<int> Apply(Vector128<int> x, Vector128<int> y);

        Vector256<int> Apply(Vector256<int> x, Vector256<int> y);
    }

    private readonly struct MinOp : IAluOp
    {
        public int Apply(int x, int y) => Math.Min(x, y);

        public Vector128<int> Apply(Vector128<int> x, Vector128<int> y) => Vector128.Min(x, y);

        public Vector256<int> Apply(Vector256<int> x, Vector256<int> y) => Vector256.Min(x, y);
    }

    private readonly struct MaxOp : IAluOp
    {
        public int Apply(int x, int y) => Math.Max(x, y);

        public Vector128<int> Apply(Vector128<int> x, Vector128<int> y) => Vector128.Max(x, y);

        public Vector256<int> Apply(Vector256<int> x, Vector256<int> y) => Vector256.Max(x, y);
    }

    private readonly struct AddOp : IAluOp
    {
        public int Apply(int x, int y) => unchecked(x + y);

        public Vector128<int> Apply(Vector128<int> x, Vector128<int> y) => x + y;

        public Vector256<int> Apply(Vector256<int> x, Vector256<int> y) => x + y;
    }

    private readonly struct MulOp : IAluOp
    {
        public int Apply(int x, int y) => unchecked(x * y);

        public Vector128<int> Apply(Vector128<int> x, Vector128<int> y) => x * y;

        public Vector256<int> Apply(Vector256<int> x, Vector256<int> y) => x * y;
    }

    /// <summary>SHR by an immediate: one direction and a count in 0..31 for every lane (y is ignored).</summary>
    private readonly struct ShiftImmOp(int count, bool left) : IAluOp
    {
        public int Apply(int x, int y) => left ? x << count : x >> count;

        public Vector128<int> Apply(Vector128<int> x, Vector128<int> y) =>
            left ? Vector128.ShiftLeft(x, count) : Vector128.ShiftRightArithmetic(x, count);

        public Vector256<int> Apply(Vector256<int> x, Vector256<int> y) =>
            left ? Vector256.ShiftLeft(x, count) : Vector256.ShiftRightArithmetic(x, count);
    }

    /// <summary>SHR by per-lane amounts with AVX2 variable shifts; the amounts are masked to 0..31 first (see Shr).</summary>
    private readonly struct ShiftVarAvx2Op(bool hardware) : IAluOp
    {
        public int Apply(int x, int y) => ReferenceKernels.Shr(x, y, hardware ? OutSemantics.Hardware : OutSemantics.Fsim);

        public Vector128<int> Apply(Vector128<int> x, Vector128<int> y)
        {
            if (hardware)
            {
                y = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(y, 27), 27);
            }

            var left = Vector128.LessThan(y, Vector128<int>.Zero);
            var r = Avx2.ShiftRightArithmeticVariable(x, (y & Vector128.Create(31)).AsUInt32());
            var l = Avx2.ShiftLeftLogicalVariable(x, (-y & Vector128.Create(31)).AsUInt32());
            return Vector128.ConditionalSelect(left, l, r);
        }

        public Vector256<int> Apply(Vector256<int> x, Vector256<int> y)
        {
            if (hardware)
            {
                y = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(y, 27), 27);
            }

            var left = Vector256.LessThan(y, Vector256<int>.Zero);
            var r = Avx2.ShiftRightArithmeticVariable(x, (y & Vector256.Create(31)).AsUInt32());
            var l = Avx2.ShiftLeftLogicalVariable(x, (-y & Vector256.Create(31)).AsUInt32());
            return Vector256.ConditionalSelect(left, l, r);
        }
    }

    /// <summary>SHR by per-lane amounts where no variable vector shift exists: scalar only (run with width 1).</summary>
    private readonly struct ShiftScalarOp(OutSemantics semantics) : IAluOp
    {
        public int Apply(int x, int y) => ReferenceKernels.Shr(x, y, semantics);

        public Vector128<int> Apply(Vector128<int> x, Vector128<int> y) => throw new UnreachableException();

        public Vector256<int> Apply(Vector256<int> x, Vector256<int> y) => throw new UnreachableException();
    }
}
