using Vta.Conformance.Tests.Infrastructure;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Conformance.Tests.Lib;

/// <summary>
/// tvm-vta test_lib.cc blocked_gemm_test(batch = 256, channels = 256, block = 4·BLOCK_OUT, uop_compression,
/// virtual_threads), the four variants vta_test.cc runs (vt 2 and 1, compressed and not). Per block of block×block
/// outputs: LOAD ACC bias, then per input-channel block (two at a time, ping-pong buffered, with vt = 2) LOAD WGT, LOAD INP,
/// GEMM, then STORE and FINISH, with test_lib's token protocol: the first loads need no token (vt = 2) or the bias load
/// primes one (vt = 1), the GEMMs hand the buffers back to the load module, the last GEMM of a block releases the store,
/// each store releases the next bias load, and FINISH drains the last store's token, so no token is left over.
/// Outputs are the truncated int32 sums (no ALU); inputs and weights −64..63, biases −2^30..2^30−1.
/// "block = 4·BLOCK_OUT" is vta_test's choice and scales with the configuration (64 at 1x16, 128 at 1x32, 32 at 1x8).
/// </summary>
public sealed class LibBlockedGemmTests
{
    private const int Batch = 256;
    private const int Channels = 256;

    public static TheoryData<string, int, bool, OutSemantics> Cases
    {
        get
        {
            var data = new TheoryData<string, int, bool, OutSemantics>();
            foreach (string config in ConfigCases.Names)
            {
                foreach (int vt in new[] { 2, 1 })
                {
                    foreach (bool compressed in new[] { true, false })
                    {
                        foreach (OutSemantics semantics in ConfigCases.AllSemantics)
                        {
                            data.Add(config, vt, compressed, semantics);
                        }
                    }
                }
            }

            return data;
        }
    }

    public static TheoryData<string> Configs => ConfigCases.Configs();

    [Theory]
    [MemberData(nameof(Cases))]
    public void BlockedGemmTest(string config, int virtualThreads, bool uopCompression, OutSemantics semantics)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        var h = new Harness(cfg, semantics);
        var (outAddr, counters) = Run(h, GemmData.Shared, virtualThreads, uopCompression, skipExecution: false);

        Assert.Equal(GemmData.Shared.Expected, h.ReadOut(outAddr, Batch, Channels));
        Expected(cfg, virtualThreads, uopCompression).AssertMatches(counters);
    }

    /// <summary>In skip-execution mode (TVM's DEBUG_SKIP_EXEC) every counter is the same, but nothing is stored.</summary>
    [Theory]
    [MemberData(nameof(Configs))]
    public void SkipExecutionCountsTheSameAndStoresNothing(string config)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        var h = new Harness(cfg);
        var (outAddr, counters) = Run(h, GemmData.Shared, 2, true, skipExecution: true);

        Assert.Equal(new sbyte[Batch * Channels], h.ReadOut(outAddr, Batch, Channels));
        Expected(cfg, 2, true).AssertMatches(counters);
    }

    private static int BlockOf(VtaConfig cfg) => 4 * cfg.BlockOut;

    private static int UopSize(VtaConfig cfg, int vt, bool compressed)
    {
        int block = BlockOf(cfg);
        int bB = block / cfg.Batch;
        return (compressed ? bB : bB * (block / cfg.BlockIn) * (block / cfg.BlockOut)) * vt;
    }

    /// <summary>TVM's counter rules applied to the loop nest's shape.</summary>
    private static ExpectedCounters Expected(VtaConfig cfg, int vt, bool compressed)
    {
        int block = BlockOf(cfg);
        long inpTiles = (long)(Batch / cfg.Batch) * (Channels / cfg.BlockIn);
        long wgtTiles = (long)(Channels / cfg.BlockOut) * (Channels / cfg.BlockIn);
        long outTiles = (long)(Batch / cfg.Batch) * (Channels / cfg.BlockOut);
        return new ExpectedCounters
        {
            InpLoadNbytes = ExpectedCounters.InpBytes(cfg, inpTiles * (Channels / block)), // inputs once per out-channel block
            WgtLoadNbytes = ExpectedCounters.WgtBytes(cfg, wgtTiles * (Batch / block)),    // weights once per batch block
            AccLoadNbytes = ExpectedCounters.AccBytes(cfg, outTiles),
            UopLoadNbytes = ExpectedCounters.UopBytes(UopSize(cfg, vt, compressed)),
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, outTiles),
            GemmCounter = (long)(Batch / cfg.Batch) * (Channels / cfg.BlockIn) * (Channels / cfg.BlockOut),
        };
    }

    private static (uint OutAddr, SimCounters Counters) Run(Harness h, GemmData data, int vt, bool compressed, bool skipExecution)
    {
        VtaConfig cfg = h.Config;
        int block = BlockOf(cfg);
        int inF = Channels;
        int outF = Channels;
        int bB = block / cfg.Batch;
        int bI = block / cfg.BlockIn;
        int bO = block / cfg.BlockOut;
        int uopSize = UopSize(cfg, vt, compressed);
        int inpBlock = bB * bI;
        int wgtBlock = bI * bO;
        Assert.True(block % cfg.BlockIn == 0 && block % cfg.Batch == 0 && inF % block == 0 && Batch % block == 0);
        Assert.True(uopSize <= cfg.UopBuffDepth, "uops exceed the uop buffer");
        Assert.True(vt * inpBlock <= cfg.InpBuffDepth, "input blocks exceed the INP buffer");
        Assert.True(vt * wgtBlock <= cfg.WgtBuffDepth, "weight blocks exceed the WGT buffer");
        Assert.True(bB * bO <= cfg.AccBuffDepth, "output block exceeds the ACC buffer");

        uint inpAddr = h.PutInp(data.Inputs, Batch, inF);
        uint wgtAddr = h.PutWgt(data.Weights, outF, inF);
        uint accAddr = h.PutAcc(data.Biases, Batch, outF);
        uint outAddr = h.ReserveOut(Batch, outF);
        ProgramBuilder p = h.BareMetalProgram();
        int uopOffset = p.StageUops(GemmUops(bB, bI, bO, compressed, vt > 1));
        p.Load(MemoryType.Uop, 0, uopOffset, 1, uopSize, uopSize);
        for (int i = 0; i < Batch; i += block)
        {
            for (int j = 0; j < outF; j += block)
            {
                DepFlags accDeps = (i > 0 || j > 0 ? DepFlags.PopNext : 0) | (vt == 1 ? DepFlags.PushPrev : 0);
                int outTile = ((i / cfg.Batch * outF) + j) / cfg.BlockOut;
                p.Load(MemoryType.Acc, 0, outTile, bB, bO, outF / cfg.BlockOut, deps: accDeps);
                for (int k = 0; k < inF; k += block * vt)
                {
                    for (int l = 0; l < block * vt; l += block)
                    {
                        int kl = k + l;
                        bool pop = vt == 1 || ((i > 0 || j > 0 || kl > 0) && kl != (block * vt) - block);
                        bool pushPrev = vt == 1
                            ? kl != inF - block
                            : kl != inF - (vt * block) && (kl != inF - block || j != outF - block || i != Batch - block);
                        bool pushNext = kl == inF - block;
                        int thread = l / block;
                        p.Load(MemoryType.Wgt, thread * wgtBlock, ((j / cfg.BlockOut * inF) + kl) / cfg.BlockIn, bO, bI,
                            inF / cfg.BlockIn, deps: pop ? DepFlags.PopNext : 0);
                        p.Load(MemoryType.Inp, thread * inpBlock, ((i / cfg.Batch * inF) + kl) / cfg.BlockIn, bB, bI,
                            inF / cfg.BlockIn, deps: DepFlags.PushNext);
                        DepFlags gemmDeps = DepFlags.PopPrev | (pushPrev ? DepFlags.PushPrev : 0) | (pushNext ? DepFlags.PushNext : 0);
                        int bgn = thread * uopSize / vt;
                        p.Emit(compressed
                            ? new GemmInsn(gemmDeps, false, bgn, bgn + bB, bI, bO, 0, 1, 1, 0, 1, bI)
                            : new GemmInsn(gemmDeps, false, bgn, bgn + (bB * bI * bO), 1, 1, 0, 0, 0, 0, 0, 0));
                    }
                }

                p.Store(0, outTile, bB, bO, outF / cfg.BlockOut, DepFlags.PopPrev | DepFlags.PushPrev);
            }
        }

        p.Finish(DepFlags.PopNext);
        SimCounters counters = h.Run(p, new PortBases(h.UopRegion, inpAddr, wgtAddr, accAddr, outAddr), skipExecution);
        return (outAddr, counters);
    }

    /// <summary>
    /// test_lib's getGEMMUops: uncompressed, one uop per (row tile, in tile, out tile); compressed, one per row tile with
    /// the GEMM loops walking the channels. Thread 1's copy points at the second INP and WGT buffers.
    /// </summary>
    private static List<Uop> GemmUops(int bB, int bI, int bO, bool compressed, bool twoThreads)
    {
        var uops = new List<Uop>();
        for (int thread = 0; thread < (twoThreads ? 2 : 1); thread++)
        {
            int inpOff = thread * bB * bI;
            int wgtOff = thread * bO * bI;
            for (int i = 0; i < bB; i++)
            {
                if (compressed)
                {
                    uops.Add(new Uop(i * bO, inpOff + (i * bI), wgtOff));
                    continue;
                }

                for (int j = 0; j < bI; j++)
                {
                    for (int k = 0; k < bO; k++)
                    {
                        uops.Add(new Uop((i * bO) + k, inpOff + (i * bI) + j, wgtOff + (k * bI) + j));
                    }
                }
            }
        }

        return uops;
    }

    /// <summary>Seeded operands in test_lib's ranges (int8 −64..63, int32 biases −2^30..2^30−1) and their reference.</summary>
    private sealed class GemmData
    {
        private GemmData()
        {
            var rng = new Random(1301);
            Inputs = Rand.Int8(rng, Batch * Channels, -64, 64);
            Weights = Rand.Int8(rng, Channels * Channels, -64, 64);
            Biases = Rand.Int32(rng, Batch * Channels, -(1 << 30), 1 << 30);
            Expected = Reference.ToInt8(Reference.MatMul(Inputs, Weights, Biases, Batch, Channels, Channels));
        }

        /// <summary>One data set for every case: the natural layout does not depend on the configuration.</summary>
        public static GemmData Shared => s_shared.Value;

        public sbyte[] Inputs { get; }

        public sbyte[] Weights { get; }

        public int[] Biases { get; }

        /// <summary>(int8)(bias + Σ x·w), test_lib's reference.</summary>
        public sbyte[] Expected { get; }

        private static readonly Lazy<GemmData> s_shared = new(() => new GemmData());
    }
}
