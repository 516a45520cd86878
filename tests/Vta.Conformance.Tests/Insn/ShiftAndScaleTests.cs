using Vta.Conformance.Tests.Infrastructure;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Conformance.Tests.Insn;

/// <summary>
/// test_vta_insn.py test_shift_and_scale: a 2×8-tile int32 tensor (values −10..9), ADD imm (0..7) then SHR imm (1..4),
/// stored as int8.
/// </summary>
public sealed class ShiftAndScaleTests
{
    private const int M = 2;
    private const int N = 8;

    public static TheoryData<string, OutSemantics> Cases => ConfigCases.ConfigsAndSemantics();

    [Theory]
    [MemberData(nameof(Cases))]
    public void AddImmThenShrImm(string config, OutSemantics semantics)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        int rows = M * cfg.Batch;
        int cols = N * cfg.BlockOut;
        const int Tiles = M * N;
        var rng = new Random(1101);
        int immShift = rng.Next(0, 8);
        int immScale = rng.Next(1, 5);
        int[] a = Rand.Int32(rng, rows * cols, -10, 10);

        var h = new Harness(cfg, semantics);
        uint aAddr = h.PutAcc(a, rows, cols);
        uint yAddr = h.ReserveOut(rows, cols);
        ProgramBuilder p = h.RuntimeProgram();
        p.Load(MemoryType.Acc, 0, h.AccElem(aAddr), 1, Tiles, Tiles);
        p.AluImm(AluOpcode.Add, (short)immShift, 0, Tiles);
        p.AluImm(AluOpcode.Shr, (short)immScale, 0, Tiles);
        p.DepPush(Stage.Compute, Stage.Store);
        p.DepPop(Stage.Compute, Stage.Store);
        p.Store(0, h.OutElem(yAddr), 1, Tiles, Tiles);
        p.Synchronize();
        SimCounters counters = h.Run(p);

        Assert.Equal(Reference.ToInt8(Reference.Map(a, v => (v + immShift) >> immScale)), h.ReadOut(yAddr, rows, cols));
        new ExpectedCounters
        {
            AccLoadNbytes = ExpectedCounters.AccBytes(cfg, Tiles),
            UopLoadNbytes = ExpectedCounters.UopBytes(2),
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, Tiles),
            AluCounter = 2 * Tiles,
        }.AssertMatches(counters);
    }
}
