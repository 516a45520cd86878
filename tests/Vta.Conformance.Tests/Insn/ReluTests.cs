using Vta.Conformance.Tests.Infrastructure;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Conformance.Tests.Insn;

/// <summary>
/// test_vta_insn.py test_relu: an 8×10-tile int32 tensor (values −256..255) clipped to [0, 127] by MAX 0 then MIN 127,
/// stored as int8.
/// </summary>
public sealed class ReluTests
{
    private const int M = 8;
    private const int N = 10;

    public static TheoryData<string, OutSemantics> Cases => ConfigCases.ConfigsAndSemantics();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxZeroThenMin127(string config, OutSemantics semantics)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        int rows = M * cfg.Batch;
        int cols = N * cfg.BlockOut;
        const int Tiles = M * N;
        int[] a = Rand.Int32(new Random(1001), rows * cols, -256, 256);

        var h = new Harness(cfg, semantics);
        uint aAddr = h.PutAcc(a, rows, cols);
        uint yAddr = h.ReserveOut(rows, cols);
        ProgramBuilder p = h.RuntimeProgram();
        p.Load(MemoryType.Acc, 0, h.AccElem(aAddr), 1, Tiles, Tiles);
        p.AluImm(AluOpcode.Max, 0, 0, Tiles);
        p.AluImm(AluOpcode.Min, 127, 0, Tiles);
        p.DepPush(Stage.Compute, Stage.Store);
        p.DepPop(Stage.Compute, Stage.Store);
        p.Store(0, h.OutElem(yAddr), 1, Tiles, Tiles);
        p.Synchronize();
        SimCounters counters = h.Run(p);

        Assert.Equal(Reference.ToInt8(Reference.Map(a, v => Math.Clamp(v, 0, 127))), h.ReadOut(yAddr, rows, cols));
        new ExpectedCounters
        {
            AccLoadNbytes = ExpectedCounters.AccBytes(cfg, Tiles),
            UopLoadNbytes = ExpectedCounters.UopBytes(2),
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, Tiles),
            AluCounter = 2 * Tiles,
        }.AssertMatches(counters);
    }
}
