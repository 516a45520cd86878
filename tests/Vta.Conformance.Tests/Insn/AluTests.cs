using Vta.Conformance.Tests.Infrastructure;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Conformance.Tests.Insn;

/// <summary>
/// test_vta_insn.py test_alu: an 8×8-tile int32 tensor a (values −16..15) in ACC, one ALU operation with an immediate
/// (1..4) or with a second tensor b, int8 store. TVM's six cases: SHL imm (SHR by −imm), MAX imm, MAX, ADD imm, ADD,
/// SHR imm.
/// </summary>
public sealed class AluTests
{
    private const int M = 8;
    private const int N = 8;

    private static readonly string[] s_ops = ["SHL imm", "MAX imm", "MAX", "ADD imm", "ADD", "SHR imm"];

    public static TheoryData<string, string, OutSemantics> Cases
    {
        get
        {
            var data = new TheoryData<string, string, OutSemantics>();
            foreach (string config in ConfigCases.Names)
            {
                foreach (string op in s_ops)
                {
                    foreach (OutSemantics semantics in ConfigCases.AllSemantics)
                    {
                        data.Add(config, op, semantics);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AluOperation(string config, string op, OutSemantics semantics)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        bool useImm = op.EndsWith(" imm", StringComparison.Ordinal);
        int rows = M * cfg.Batch;
        int cols = N * cfg.BlockOut;
        const int Tiles = M * N;
        var rng = new Random(900 + Array.IndexOf(s_ops, op));
        int imm = rng.Next(1, 5);
        int[] a = Rand.Int32(rng, rows * cols, -16, 16);
        int[] b = useImm ? [] : Rand.Int32(rng, rows * cols, -16, 16);

        var h = new Harness(cfg, semantics);
        uint aAddr = h.PutAcc(a, rows, cols);
        uint yAddr = h.ReserveOut(rows, cols);
        ProgramBuilder p = h.RuntimeProgram();
        p.Load(MemoryType.Acc, 0, h.AccElem(aAddr), 1, Tiles, Tiles);
        var (opcode, encodedImm) = op switch
        {
            "SHL imm" => (AluOpcode.Shr, -imm), // the compiler lowers x << k to SHR by −k
            "MAX imm" or "MAX" => (AluOpcode.Max, imm),
            "ADD imm" or "ADD" => (AluOpcode.Add, imm),
            "SHR imm" => (AluOpcode.Shr, imm),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
        if (useImm)
        {
            p.AluImm(opcode, (short)encodedImm, 0, Tiles);
        }
        else
        {
            uint bAddr = h.PutAcc(b, rows, cols);
            p.Load(MemoryType.Acc, Tiles, h.AccElem(bAddr), 1, Tiles, Tiles);
            p.Alu(new UopKernel(new Uop(0, Tiles)), opcode, false, 0, AluLoop.None, new AluLoop(Tiles, 1, 1));
        }

        p.DepPush(Stage.Compute, Stage.Store);
        p.DepPop(Stage.Compute, Stage.Store);
        p.Store(0, h.OutElem(yAddr), 1, Tiles, Tiles);
        p.Synchronize();
        SimCounters counters = h.Run(p);

        int[] expected = op switch
        {
            "SHL imm" => Reference.Map(a, v => v << imm),
            "MAX imm" => Reference.Map(a, v => Math.Max(v, imm)),
            "MAX" => Reference.Zip(a, b, Math.Max),
            "ADD imm" => Reference.Map(a, v => v + imm),
            "ADD" => Reference.Zip(a, b, (u, v) => u + v),
            _ => Reference.Map(a, v => v >> imm),
        };
        Assert.Equal(Reference.ToInt8(expected), h.ReadOut(yAddr, rows, cols));
        new ExpectedCounters
        {
            AccLoadNbytes = ExpectedCounters.AccBytes(cfg, (useImm ? 1 : 2) * Tiles),
            UopLoadNbytes = ExpectedCounters.UopBytes(1),
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, Tiles),
            AluCounter = Tiles,
        }.AssertMatches(counters);
    }
}
