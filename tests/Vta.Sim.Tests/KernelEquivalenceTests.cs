using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Tests;

/// <summary>The vector kernels (every path) against <see cref="ReferenceKernels"/>, bit for bit, on random data.</summary>
public class KernelEquivalenceTests
{
    // Target "sim" only enables ALU MUL; the block shapes are what matters here.
    private static readonly Dictionary<string, VtaConfig> s_configs = new()
    {
        ["1x16 default"] = VtaConfig.Create(target: "sim"),
        ["1x8"] = VtaConfig.Create(target: "sim", logBlock: 3, logInpBuffSize: 14, logWgtBuffSize: 16, logAccBuffSize: 16),
        ["1x32"] = VtaConfig.Create(target: "sim", logBlock: 5),
        ["2x16"] = VtaConfig.Create(target: "sim", logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18),
        ["2x8"] = VtaConfig.Create(target: "sim", logBatch: 1, logBlock: 3, logInpBuffSize: 14, logWgtBuffSize: 16, logAccBuffSize: 16),
        ["1x4"] = VtaConfig.Create(target: "sim", logBlock: 2, logInpBuffSize: 12, logWgtBuffSize: 13, logAccBuffSize: 14),
        ["1x2"] = VtaConfig.Create(target: "sim", logBlock: 1, logUopBuffSize: 10, logInpBuffSize: 11, logWgtBuffSize: 13, logAccBuffSize: 13),
        ["1x64"] = VtaConfig.Create(target: "sim", logBlock: 6, logWgtBuffSize: 20, logInpBuffSize: 16, logAccBuffSize: 18),
    };

    public static TheoryData<string, string, OutSemantics> Cases()
    {
        var data = new TheoryData<string, string, OutSemantics>();
        foreach (string name in s_configs.Keys)
        {
            foreach (var path in Enum.GetValues<KernelPath>())
            {
                foreach (var semantics in Enum.GetValues<OutSemantics>())
                {
                    data.Add(name, path.ToString(), semantics);
                }
            }
        }

        return data;
    }

    private static VtaCore NewCore(string name, KernelPath path, OutSemantics semantics, Random rnd)
    {
        var core = new VtaCore(s_configs[name], new Dram()) { KernelPath = path, Semantics = semantics };
        var sram = core.Sram;
        rnd.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sram.Inp));
        rnd.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sram.Wgt));
        rnd.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sram.Out));
        var acc = sram.Acc;
        for (int i = 0; i < acc.Length; i++)
        {
            // Mostly small values (shift amounts and sums near the int8 range), some full-range ones (wraparound).
            acc[i] = rnd.Next(4) == 0 ? rnd.Next(int.MinValue, int.MaxValue) : rnd.Next(-300, 300);
        }

        return core;
    }

    private static void RandomUops(VtaCore core, Random rnd, bool alu)
    {
        var c = core.Config;
        var uops = core.Sram.Uops;
        for (int k = 0; k < 64; k++)
        {
            uops[k] = new Uop(rnd.Next(c.AccBuffDepth / 4), rnd.Next((alu ? c.AccBuffDepth : c.InpBuffDepth) / 4), alu ? 0 : rnd.Next(c.WgtBuffDepth / 4));
        }
    }

    private static int Factor(Random rnd, int depth) => rnd.Next(Math.Max(1, depth / 16));

    private static (int[] Acc, sbyte[] Out) Snapshot(VtaCore core) => (core.Sram.Acc.ToArray(), core.Sram.Out.ToArray());

    [Theory]
    [MemberData(nameof(Cases))]
    public void GemmMatchesReference(string config, string kernels, OutSemantics semantics)
    {
        var path = Enum.Parse<KernelPath>(kernels);
        var rnd = new Random((config.Length * 100) + ((int)path * 10) + (int)semantics);
        var core = NewCore(config, path, semantics, rnd);
        var c = core.Config;
        for (int n = 0; n < 12; n++)
        {
            RandomUops(core, rnd, alu: false);
            int bgn = rnd.Next(8);
            var insn = SimHarness.Gemm(bgn, bgn + 1 + rnd.Next(24), 1 + rnd.Next(3), 1 + rnd.Next(3),
                Factor(rnd, c.AccBuffDepth), Factor(rnd, c.AccBuffDepth), Factor(rnd, c.InpBuffDepth), Factor(rnd, c.InpBuffDepth),
                Factor(rnd, c.WgtBuffDepth), Factor(rnd, c.WgtBuffDepth), reset: n % 5 == 4);
            var (acc, outBuf) = Snapshot(core);
            ReferenceKernels.Gemm(c, insn, core.Sram.Uops, core.Sram.Inp, core.Sram.Wgt, acc, outBuf, semantics);
            if (n % 3 == 0)
            {
                rnd.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(core.Sram.Wgt)); // the shadow must follow
                (acc, outBuf) = Snapshot(core);
                ReferenceKernels.Gemm(c, insn, core.Sram.Uops, core.Sram.Inp, core.Sram.Wgt, acc, outBuf, semantics);
            }

            core.Execute(insn, n);
            Assert.True(acc.AsSpan().SequenceEqual(core.Sram.Acc), $"ACC differs after GEMM {n}: {insn}");
            Assert.True(outBuf.AsSpan().SequenceEqual(core.Sram.Out), $"OUT differs after GEMM {n}: {insn}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AluMatchesReference(string config, string kernels, OutSemantics semantics)
    {
        var path = Enum.Parse<KernelPath>(kernels);
        var rnd = new Random((config.Length * 100) + ((int)path * 10) + (int)semantics + 5000);
        var core = NewCore(config, path, semantics, rnd);
        var c = core.Config;
        foreach (var op in Enum.GetValues<AluOpcode>())
        {
            foreach (bool useImm in new[] { true, false })
            {
                for (int n = 0; n < 3; n++)
                {
                    RandomUops(core, rnd, alu: true);
                    short imm = op == AluOpcode.Shr && n < 2 ? (short)rnd.Next(-40, 41) : (short)rnd.Next(short.MinValue, short.MaxValue + 1);
                    int bgn = rnd.Next(8);
                    var insn = SimHarness.Alu(op, bgn, bgn + 1 + rnd.Next(16), useImm, imm, 1 + rnd.Next(3), 1 + rnd.Next(3),
                        Factor(rnd, c.AccBuffDepth), Factor(rnd, c.AccBuffDepth), Factor(rnd, c.AccBuffDepth), Factor(rnd, c.AccBuffDepth));
                    var (acc, outBuf) = Snapshot(core);
                    ReferenceKernels.Alu(c, insn, core.Sram.Uops, acc, outBuf, semantics);
                    core.Execute(insn, n);
                    Assert.True(acc.AsSpan().SequenceEqual(core.Sram.Acc), $"ACC differs after {insn}");
                    Assert.True(outBuf.AsSpan().SequenceEqual(core.Sram.Out), $"OUT differs after {insn}");
                }
            }
        }
    }

    [Fact]
    public void ReferenceShrFollowsTheDocumentedRules()
    {
        Assert.Equal(-2, ReferenceKernels.Shr(-8, 2, OutSemantics.Fsim));
        Assert.Equal(-32, ReferenceKernels.Shr(-8, -2, OutSemantics.Fsim));
        Assert.Equal(-8 >> 1, ReferenceKernels.Shr(-8, 33, OutSemantics.Fsim));   // x86: amount mod 32
        Assert.Equal(-8 << 12, ReferenceKernels.Shr(-8, 20, OutSemantics.Hardware)); // low 5 bits 10100 = −12
        Assert.Equal(-8 >> 15, ReferenceKernels.Shr(-8, 15, OutSemantics.Hardware));
        Assert.Equal(-8 << 16, ReferenceKernels.Shr(-8, -16, OutSemantics.Hardware));
    }
}
