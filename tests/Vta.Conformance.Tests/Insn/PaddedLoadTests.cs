using Vta.Conformance.Tests.Infrastructure;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Conformance.Tests.Insn;

/// <summary>
/// test_vta_insn.py test_padded_load: a 3×5-tile int32 tensor loaded into ACC with zero padding (pad_before/pad_after
/// on the tile dimensions y, x: [2,0]/0, [0,2]/0, 0/[2,0], 0/[0,2], [1,1]/[1,1]), then `>> 0` and an int8 store of the
/// padded tensor.
/// </summary>
public sealed class PaddedLoadTests
{
    private const int N = 3;
    private const int M = 5;

    public static TheoryData<string, int, int, int, int, OutSemantics> Cases
    {
        get
        {
            // (y_pad_0, y_pad_1, x_pad_0, x_pad_1) of TVM's five cases.
            (int, int, int, int)[] pads = [(2, 0, 0, 0), (0, 0, 2, 0), (0, 2, 0, 0), (0, 0, 0, 2), (1, 1, 1, 1)];
            var data = new TheoryData<string, int, int, int, int, OutSemantics>();
            foreach (string config in ConfigCases.Names)
            {
                foreach (var (y0, y1, x0, x1) in pads)
                {
                    foreach (OutSemantics semantics in ConfigCases.AllSemantics)
                    {
                        data.Add(config, y0, y1, x0, x1, semantics);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PaddedAccLoad(string config, int yPad0, int yPad1, int xPad0, int xPad1, OutSemantics semantics)
    {
        VtaConfig cfg = ConfigCases.Get(config);
        int b = cfg.Batch;
        int blk = cfg.BlockOut;
        int h = N + yPad0 + yPad1;   // tiles
        int w = M + xPad0 + xPad1;
        int[] x = Rand.Int32(new Random(700 + (yPad0 * 1000) + (yPad1 * 100) + (xPad0 * 10) + xPad1), N * b * M * blk, 0, 10);

        var harness = new Harness(cfg, semantics);
        uint xAddr = harness.PutAcc(x, N * b, M * blk);
        uint yAddr = harness.ReserveOut(h * b, w * blk);
        ProgramBuilder p = harness.RuntimeProgram();
        p.Load(MemoryType.Acc, 0, harness.AccElem(xAddr), N, M, M, new Pads(yPad0, yPad1, xPad0, xPad1));
        p.AluImm(AluOpcode.Shr, 0, 0, h * w);
        p.DepPush(Stage.Compute, Stage.Store);
        p.DepPop(Stage.Compute, Stage.Store);
        p.Store(0, harness.OutElem(yAddr), 1, h * w, h * w);
        p.Synchronize();
        SimCounters counters = harness.Run(p);

        // Reference: numpy's y_np[pad_y0 : pad_y0 + n, pad_x0 : pad_x0 + m] = x_np, zeros elsewhere.
        int cols = w * blk;
        var expected = new sbyte[h * b * cols];
        for (int r = 0; r < N * b; r++)
        {
            for (int c = 0; c < M * blk; c++)
            {
                expected[((r + (yPad0 * b)) * cols) + c + (xPad0 * blk)] = (sbyte)x[(r * M * blk) + c];
            }
        }

        Assert.Equal(expected, harness.ReadOut(yAddr, h * b, cols));
        new ExpectedCounters
        {
            AccLoadNbytes = ExpectedCounters.AccBytes(cfg, N * M), // padding is not counted
            UopLoadNbytes = ExpectedCounters.UopBytes(1),
            OutStoreNbytes = ExpectedCounters.OutBytes(cfg, h * w),
            AluCounter = h * w,
        }.AssertMatches(counters);
    }
}
