using Vta.Conformance.Tests.Infrastructure;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Conformance.Tests.Insn;

/// <summary>
/// test_vta_insn.py test_save_load_out: an n×n-tile int32 tensor (n = 6) loaded into ACC, passed through an ALU `x >> 0`
/// (so the hardware's OUT buffer is written) and stored as int8. Also shows what the `>> 0` is for.
/// </summary>
public sealed class SaveLoadOutTests
{
    private const int N = 6;

    public static TheoryData<string, OutSemantics> Cases => ConfigCases.ConfigsAndSemantics();

    public static TheoryData<string> Configs => ConfigCases.Configs();

    [Theory]
    [MemberData(nameof(Cases))]
    public void AccLoadShiftZeroStore(string config, OutSemantics semantics)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        int rows = N * cfg.Batch;
        int cols = N * cfg.BlockOut;
        int[] x = Rand.Int32(new Random(601), rows * cols, 1, 10); // TVM: randint(1, 10)

        var (output, counters) = Run(cfg, semantics, x, withAlu: true);

        Assert.Equal(Reference.ToInt8(x), output);
        new ExpectedCounters
        {
            AccLoadNbytes = ExpectedCounters.AccBytes(cfg, N * N),
            UopLoadNbytes = ExpectedCounters.UopBytes(1),
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, N * N),
            AluCounter = N * N,
        }.AssertMatches(counters);
    }

    /// <summary>
    /// Without the ALU no-op the two OUT semantics differ (§3 STORE, consequence a): TVM's fsim truncates the ACC buffer
    /// at store time and so stores the data; the bitstream stores its OUT buffer, which only GEMM/ALU write, so a fresh
    /// device stores zeros.
    /// </summary>
    [Theory]
    [MemberData(nameof(Configs))]
    public void WithoutAluFsimStoresAccButHardwareStoresStaleOutBuffer(string config)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        int rows = N * cfg.Batch;
        int cols = N * cfg.BlockOut;
        int[] x = Rand.Int32(new Random(602), rows * cols, 1, 10);
        var expectedCounters = new ExpectedCounters
        {
            AccLoadNbytes = ExpectedCounters.AccBytes(cfg, N * N),
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, N * N),
        };

        var (fsimOut, fsimCounters) = Run(cfg, OutSemantics.Fsim, x, withAlu: false);
        var (hwOut, hwCounters) = Run(cfg, OutSemantics.Hardware, x, withAlu: false);

        Assert.Equal(Reference.ToInt8(x), fsimOut);
        Assert.Equal(new sbyte[rows * cols], hwOut);
        expectedCounters.AssertMatches(fsimCounters);
        expectedCounters.AssertMatches(hwCounters);
    }

    private static (sbyte[] Output, SimCounters Counters) Run(VtaConfig cfg, OutSemantics semantics, int[] x, bool withAlu)
    {
        int rows = N * cfg.Batch;
        int cols = N * cfg.BlockOut;
        const int Tiles = N * N;
        var h = new Harness(cfg, semantics);
        uint xAddr = h.PutAcc(x, rows, cols);
        uint yAddr = h.ReserveOut(rows, cols);

        // The DMA pattern finder folds the contiguous n×n tiles into one row of n² elements.
        ProgramBuilder p = h.RuntimeProgram();
        p.Load(MemoryType.Acc, 0, h.AccElem(xAddr), 1, Tiles, Tiles);
        if (withAlu)
        {
            p.AluImm(AluOpcode.Shr, 0, 0, Tiles); // y_buf = x_buf >> 0, one uop looped n² times
        }

        p.DepPush(Stage.Compute, Stage.Store);
        p.DepPop(Stage.Compute, Stage.Store);
        p.Store(0, h.OutElem(yAddr), 1, Tiles, Tiles);
        p.Synchronize();

        SimCounters counters = h.Run(p);
        return (h.ReadOut(yAddr, rows, cols), counters);
    }
}
