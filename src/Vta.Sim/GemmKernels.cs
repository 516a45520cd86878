using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// The GEMM loop nest with vector dot products. Indices must already be validated (pointer arithmetic, no checks).
/// Every path accumulates in place: ACC[a][b] += dot(INP[s][b], WGT[w]); int32 adds wrap like the hardware's.
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmKernels
{
    private const int MaxBlock = 64; // LOG_BLOCK ≤ 6 (VtaConfigValidator)

    // Deliberately tiered (no AggressiveOptimization): measured about a third slower without dynamic PGO.
    public static void Run(GemmInsn g, SramBuffers sram, VtaConfig config, bool hardware, KernelPath path)
    {
        int batch = config.Batch;
        int blockIn = config.BlockIn;
        int blockOut = config.BlockOut;
        int accElem = batch * blockOut;
        int inpElem = batch * blockIn;
        int wgtElem = blockOut * blockIn;
        int pairElem = sram.WgtPairs.ElemInts;
        bool useAvx2 = path == KernelPath.Best && Avx2.IsSupported && blockOut % 8 == 0;
        bool useV128 = !useAvx2 && path != KernelPath.Scalar && blockOut % 4 == 0;
        int* pairBuf = stackalloc int[MaxBlock / 2];

        fixed (int* acc = sram.AccArray)
        fixed (sbyte* inp = sram.InpArray)
        fixed (sbyte* wgt = sram.WgtArray)
        fixed (int* pairs = sram.WgtPairs.Pairs)
        fixed (sbyte* outBuf = sram.OutArray)
        fixed (Uop* uops = sram.UopArray)
        {
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
                        int* accRow = acc + ((long)(u.DstIdx + aBase) * accElem);
                        if (g.ResetReg && !hardware)
                        {
                            new Span<int>(accRow, accElem).Clear();
                            continue;
                        }

                        sbyte* inpRow = inp + ((long)(u.SrcIdx + sBase) * inpElem);
                        int w = u.WgtIdx + wBase;
                        for (int b = 0; b < batch; b++)
                        {
                            if (useAvx2)
                            {
                                DotAvx2(inpRow + (b * blockIn), pairs + ((long)w * pairElem), accRow + (b * blockOut), blockIn, blockOut, pairBuf);
                            }
                            else if (useV128)
                            {
                                DotVector128(inpRow + (b * blockIn), pairs + ((long)w * pairElem), accRow + (b * blockOut), blockIn, blockOut);
                            }
                            else
                            {
                                DotScalar(inpRow + (b * blockIn), wgt + ((long)w * wgtElem), accRow + (b * blockOut), blockIn, blockOut);
                            }
                        }

                        if (hardware)
                        {
                            // HLS writes the low 8 bits of every result to OUT; a reset writes old_acc + dot there, then zeroes ACC.
                            long a = u.DstIdx + aBase;
                            NarrowKernels.Truncate(new ReadOnlySpan<int>(accRow, accElem), new Span<sbyte>(outBuf + (a * accElem), accElem));
                            if (g.ResetReg)
                            {
                                new Span<int>(accRow, accElem).Clear();
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// acc[o] += Σ_c inp[c]·wgt[o][c] for one batch row. The input is widened to int16 pairs once; each pair is broadcast
    /// against eight outputs' weight pairs and pmaddwd forms inp[2p]·w[o][2p] + inp[2p+1]·w[o][2p+1] per output lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotAvx2(sbyte* inp, int* pairs, int* acc, int blockIn, int blockOut, int* pairBuf)
    {
        int nPairs = blockIn / 2;
        if (blockIn >= 16)
        {
            for (int c = 0; c < blockIn; c += 16)
            {
                Avx2.ConvertToVector256Int16(Sse2.LoadVector128(inp + c)).Store((short*)pairBuf + c);
            }
        }
        else
        {
            for (int c = 0; c < blockIn; c++)
            {
                ((short*)pairBuf)[c] = inp[c];
            }
        }

        for (int oc = 0; oc < blockOut; oc += 8)
        {
            int* wp = pairs + oc;
            var s0 = Vector256<int>.Zero;
            var s1 = Vector256<int>.Zero;
            int p = 0;
            for (; p + 1 < nPairs; p += 2)
            {
                s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(Vector256.Create(pairBuf[p]).AsInt16(), Avx.LoadVector256(wp + (p * blockOut)).AsInt16()));
                s1 = Avx2.Add(s1, Avx2.MultiplyAddAdjacent(Vector256.Create(pairBuf[p + 1]).AsInt16(), Avx.LoadVector256(wp + ((p + 1) * blockOut)).AsInt16()));
            }

            if (p < nPairs)
            {
                s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(Vector256.Create(pairBuf[p]).AsInt16(), Avx.LoadVector256(wp + (p * blockOut)).AsInt16()));
            }

            Avx.Store(acc + oc, Avx2.Add(Avx.LoadVector256(acc + oc), Avx2.Add(s0, s1)));
        }
    }

    /// <summary>Portable form of the same idea with Vector128: unpack each weight pair with shifts, multiply, add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotVector128(sbyte* inp, int* pairs, int* acc, int blockIn, int blockOut)
    {
        int nPairs = blockIn / 2;
        for (int oc = 0; oc < blockOut; oc += 4)
        {
            int* wp = pairs + oc;
            var sum = Vector128<int>.Zero;
            for (int p = 0; p < nPairs; p++)
            {
                var v = Vector128.Load(wp + (p * blockOut));
                var lo = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(v, 16), 16);
                var hi = Vector128.ShiftRightArithmetic(v, 16);
                sum += (lo * Vector128.Create((int)inp[2 * p])) + (hi * Vector128.Create((int)inp[(2 * p) + 1]));
            }

            Vector128.Store(Vector128.Load(acc + oc) + sum, acc + oc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotScalar(sbyte* inp, sbyte* wgt, int* acc, int blockIn, int blockOut)
    {
        for (int o = 0; o < blockOut; o++)
        {
            sbyte* row = wgt + (o * blockIn);
            int sum = 0;
            for (int c = 0; c < blockIn; c++)
            {
                sum += inp[c] * row[c];
            }

            acc[o] = unchecked(acc[o] + sum);
        }
    }
}
