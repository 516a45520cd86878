using Vta.Conformance.Tests.Infrastructure;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Conformance.Tests.Insn;

/// <summary>
/// test_vta_insn.py test_gemm: x (o×n tiles) · wᵀ (m×n tiles) with o = 4, n = 1, m = 4, then `>> 8`, `max 0`,
/// `min 127` and an int8 store; the default schedule and the "smt" schedule (batch tiles split over two virtual threads
/// bound to cthread, each with its own INP/WGT/ACC buffers). The programs follow the runtime's conventions (one LOAD UOP
/// per new kernel, InsnQueue dependency flags, VTASynchronize); the token placement is derived from TVM's CoProcSync and
/// InjectVirtualThread passes as documented, not captured from TVM.
/// </summary>
public sealed class GemmTests
{
    private const int O = 4;
    private const int N = 1;
    private const int M = 4;

    public static TheoryData<string, OutSemantics> Cases => ConfigCases.ConfigsAndSemantics();

    public static TheoryData<string> Configs => ConfigCases.Configs();

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefaultSchedule(string config, OutSemantics semantics) => RunGemm(config, semantics, threads: 1);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TwoVirtualThreads(string config, OutSemantics semantics) => RunGemm(config, semantics, threads: 2);

    /// <summary>
    /// GEMM reset differs between the OUT semantics (§3 STORE, consequence b): fsim stores the reset ACC (zeros); the
    /// HLS bitstream writes OUT = low 8 bits of old_acc + dot even when resetting, so storing right after the reset
    /// shows that sum. A following `>> 0` ALU rewrites OUT from the (reset) ACC, and both then store zeros.
    /// </summary>
    [Theory]
    [MemberData(nameof(Configs))]
    public void ResetStoresZerosOnFsimButOldAccPlusDotOnHardware(string config)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        const int O2 = 2;
        const int M2 = 2;
        int rows = O2 * cfg.Batch;
        int inF = N * cfg.BlockIn;
        int outF = M2 * cfg.BlockOut;
        var rng = new Random(803);
        sbyte[] x = Rand.Int8(rng, rows * inF, -128, 128);
        sbyte[] w = Rand.Int8(rng, outF * inF, -128, 128);
        int[] bias = Rand.Int32(rng, rows * outF, -(1 << 20), 1 << 20);
        var expectedCounters = new ExpectedCounters
        {
            InpLoadNbytes = ExpectedCounters.InpBytes(cfg, O2 * N),
            WgtLoadNbytes = ExpectedCounters.WgtBytes(cfg, M2 * N),
            AccLoadNbytes = ExpectedCounters.AccBytes(cfg, O2 * M2),
            UopLoadNbytes = ExpectedCounters.UopBytes(2),
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, 2 * O2 * M2),
            GemmCounter = 0, // reset GEMMs are not counted
            AluCounter = O2 * M2,
        };

        foreach (OutSemantics semantics in ConfigCases.AllSemantics)
        {
            var h = new Harness(cfg, semantics);
            uint xAddr = h.PutInp(x, rows, inF);
            uint wAddr = h.PutWgt(w, outF, inF);
            uint bAddr = h.PutAcc(bias, rows, outF);
            uint afterReset = h.ReserveOut(rows, outF);
            uint afterAlu = h.ReserveOut(rows, outF);
            ProgramBuilder p = h.RuntimeProgram();
            p.Load(MemoryType.Inp, 0, h.InpElem(xAddr), 1, O2 * N, O2 * N);
            p.Load(MemoryType.Wgt, 0, h.WgtElem(wAddr), 1, M2 * N, M2 * N);
            p.DepPush(Stage.Load, Stage.Compute);
            p.DepPop(Stage.Load, Stage.Compute);
            p.Load(MemoryType.Acc, 0, h.AccElem(bAddr), 1, O2 * M2, O2 * M2);
            p.Gemm(new UopKernel(new Uop(0, 0, 0)), true, new GemmLoop(O2, M2, N, 0), new GemmLoop(M2, 1, 0, N));
            p.DepPush(Stage.Compute, Stage.Store);
            p.DepPop(Stage.Compute, Stage.Store);
            p.Store(0, h.OutElem(afterReset), 1, O2 * M2, O2 * M2);
            p.DepPush(Stage.Store, Stage.Compute); // the ALU may overwrite OUT only after the store has read it
            p.DepPop(Stage.Store, Stage.Compute);
            p.AluImm(AluOpcode.Shr, 0, 0, O2 * M2);
            p.DepPush(Stage.Compute, Stage.Store);
            p.DepPop(Stage.Compute, Stage.Store);
            p.Store(0, h.OutElem(afterAlu), 1, O2 * M2, O2 * M2);
            p.Synchronize();
            SimCounters counters = h.Run(p);

            sbyte[] expectedAfterReset = semantics == OutSemantics.Fsim
                ? new sbyte[rows * outF]
                : Reference.ToInt8(Reference.MatMul(x, w, bias, rows, inF, outF));
            Assert.Equal(expectedAfterReset, h.ReadOut(afterReset, rows, outF));
            Assert.Equal(new sbyte[rows * outF], h.ReadOut(afterAlu, rows, outF));
            expectedCounters.AssertMatches(counters);
        }
    }

    private static void RunGemm(string config, OutSemantics semantics, int threads)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        int rows = O * cfg.Batch;
        int inF = N * cfg.BlockIn;
        int outF = M * cfg.BlockOut;
        var rng = new Random(threads == 1 ? 801 : 802);
        sbyte[] x = Rand.Int8(rng, rows * inF, -128, 128);
        sbyte[] w = Rand.Int8(rng, outF * inF, -128, 128);

        var h = new Harness(cfg, semantics);
        uint xAddr = h.PutInp(x, rows, inF);
        uint wAddr = h.PutWgt(w, outF, inF);
        uint yAddr = h.ReserveOut(rows, outF);
        ProgramBuilder p = h.RuntimeProgram();
        Build(p, h, xAddr, wAddr, yAddr, threads);
        SimCounters counters = h.Run(p);

        int[] acc = Reference.MatMul(x, w, null, rows, inF, outF);
        int[] y = Reference.Map(acc, v => Math.Min(Math.Max(v >> 8, 0), 127));
        Assert.Equal(Reference.ToInt8(y), h.ReadOut(yAddr, rows, outF));
        new ExpectedCounters
        {
            InpLoadNbytes = ExpectedCounters.InpBytes(cfg, O * N),
            WgtLoadNbytes = ExpectedCounters.WgtBytes(cfg, threads * M * N), // every thread loads all of w
            UopLoadNbytes = ExpectedCounters.UopBytes(threads * 5),         // reset, gemm and three ALU kernels, one uop each
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, O * M),
            GemmCounter = O * M * N,
            AluCounter = 3 * O * M,
        }.AssertMatches(counters);
    }

    /// <summary>
    /// Per thread t (batch tiles [t·ot, (t+1)·ot)), in four phases each replicated over the threads back to back:
    /// reset GEMM → push(C→L); pop(C→L), load x_t and w_t → push(L→C); pop(L→C), GEMM, SHR 8, MAX 0, MIN 127 → push(C→S);
    /// pop(C→S), store. With two threads, thread 1 loads while thread 0 computes (ping-pong buffers).
    /// </summary>
    private static void Build(ProgramBuilder p, Harness h, uint xAddr, uint wAddr, uint yAddr, int threads)
    {
        int ot = O / threads;
        int InpBase(int t) => t * ot * N;
        int WgtBase(int t) => t * M * N;
        int AccBase(int t) => t * ot * M;

        for (int t = 0; t < threads; t++)
        {
            p.Gemm(new UopKernel(new Uop(AccBase(t), 0, 0)), true, new GemmLoop(ot, M, 0, 0), new GemmLoop(M, 1, 0, 0));
            p.DepPush(Stage.Compute, Stage.Load);
        }

        for (int t = 0; t < threads; t++)
        {
            p.DepPop(Stage.Compute, Stage.Load);
            p.Load(MemoryType.Inp, InpBase(t), h.InpElem(xAddr) + (t * ot * N), 1, ot * N, ot * N);
            p.Load(MemoryType.Wgt, WgtBase(t), h.WgtElem(wAddr), 1, M * N, M * N);
            p.DepPush(Stage.Load, Stage.Compute);
        }

        for (int t = 0; t < threads; t++)
        {
            p.DepPop(Stage.Load, Stage.Compute);
            p.Gemm(new UopKernel(new Uop(AccBase(t), InpBase(t), WgtBase(t))), false,
                new GemmLoop(ot, M, N, 0), new GemmLoop(M, 1, 0, N));
            p.AluImm(AluOpcode.Shr, 8, AccBase(t), ot * M);
            p.AluImm(AluOpcode.Max, 0, AccBase(t), ot * M);
            p.AluImm(AluOpcode.Min, 127, AccBase(t), ot * M);
            p.DepPush(Stage.Compute, Stage.Store);
        }

        for (int t = 0; t < threads; t++)
        {
            p.DepPop(Stage.Compute, Stage.Store);
            p.Store(AccBase(t), h.OutElem(yAddr) + AccBase(t), 1, ot * M, ot * M);
        }

        p.Synchronize();
    }
}
