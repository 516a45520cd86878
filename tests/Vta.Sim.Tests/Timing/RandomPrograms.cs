using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim.Tests.Timing;

/// <summary>
/// Seeded random programs over every instruction kind with valid fields (SRAM windows and loop indices in range, DRAM
/// reads inside random data). With <c>protocol</c> every pop takes a token pushed by an earlier instruction and NOPs
/// drain what is left before FINISH, so the program cannot deadlock. Without it, by seed: no flags at all (every
/// module races ahead), the protocol with one flag flipped, or sparse random flags; such runs may race, deadlock or leave
/// tokens, and both simulators must then agree.
/// </summary>
internal static class RandomPrograms
{
    private const int InpTiles = 256, WgtTiles = 64, AccTiles = 128, UopCount = 256, OutTiles = 256;

    public static TwinProgram Build(Dram dram, VtaConfig c, int seed, bool protocol)
    {
        var rng = new Random(seed);
        uint inp = TwinRun.PutRandom(dram, rng, InpTiles * c.InpElemBytes);
        uint wgt = TwinRun.PutRandom(dram, rng, WgtTiles * c.WgtElemBytes);
        uint acc = TwinRun.PutRandom(dram, rng, AccTiles * c.AccElemBytes);
        var uopList = Enumerable.Range(0, UopCount).Select(_ => new Uop(rng.Next(64), rng.Next(64), rng.Next(32))).ToList();
        uint uop = TwinRun.PutUops(dram, c, uopList);
        uint @out = dram.Alloc(OutTiles * c.OutElemBytes);
        // Some runs use the port base registers, as test_lib does; dram_base is then relative to them.
        var bases = rng.Next(2) == 0 ? PortBases.Zero : new PortBases(uop, inp, wgt, acc, @out);
        uint Base(uint addr, int elemBytes, uint port) => (uint)((addr - port) / elemBytes);

        var program = new List<Instruction>();
        var outstanding = new int[4];
        int count = rng.Next(20, 90);
        for (int n = 0; n < count; n++)
        {
            Instruction insn = rng.Next(9) switch
            {
                0 => Mem(rng, MemoryType.Inp, 128, Base(inp, c.InpElemBytes, bases.Inp), InpTiles),
                1 => Mem(rng, MemoryType.Wgt, 64, Base(wgt, c.WgtElemBytes, bases.Wgt), WgtTiles),
                2 => Mem(rng, MemoryType.Acc, 128, Base(acc, c.AccElemBytes, bases.Acc), AccTiles),
                3 => SimHarness.Load(MemoryType.Uop, rng.Next(48), Base(uop, 4, bases.Uop) + (uint)rng.Next(200), 1, rng.Next(1, 17)),
                4 or 5 => Gemm(rng),
                6 => Alu(rng),
                7 => Store(rng, Base(@out, c.OutElemBytes, bases.Out)),
                _ => rng.Next(3) switch
                {
                    0 => SimHarness.Nop(MemoryType.Inp, DepFlags.None),
                    1 => SimHarness.Nop(MemoryType.Uop, DepFlags.None),
                    _ => SimHarness.Nop(MemoryType.Out, DepFlags.None, Opcode.Store),
                },
            };
            int mode = protocol ? 1 : seed % 3;
            program.Add(insn.WithDeps(mode switch
            {
                0 => DepFlags.None,
                1 => ProtocolDeps(rng, insn, outstanding),
                _ => RandomDeps(rng, insn),
            }));
        }

        Drain(program, outstanding);
        if (!protocol && seed % 3 == 1)
        {
            // One flipped flag the instruction's module has a queue for: a missing or an extra token.
            int victim = rng.Next(program.Count);
            var module = PipelineRouting.ModuleOf(program[victim]);
            var flags = new[] { DepFlags.PopPrev, DepFlags.PopNext, DepFlags.PushPrev, DepFlags.PushNext }
                .Where(f => QueueOf(module, f) is not null).ToArray();
            var flag = flags[rng.Next(flags.Length)];
            program[victim] = program[victim].WithDeps(program[victim].Deps ^ flag);
        }

        program.Add(SimHarness.Finish());
        return new TwinProgram(program, [(@out, OutTiles * c.OutElemBytes)], bases);
    }

    /// <summary>A LOAD of up to 3 rows × 8 elements with random pads and stride, fitting the SRAM window and the DRAM data.</summary>
    private static MemInsn Mem(Random rng, MemoryType t, int sramLimit, uint dramBase, int dramTiles)
    {
        int y = rng.Next(1, 4), x = rng.Next(1, t == MemoryType.Wgt ? 5 : 9), stride = x + rng.Next(5);
        int p0 = rng.Next(2), p1 = rng.Next(2), p2 = rng.Next(2), p3 = rng.Next(2);
        int window = (y + p0 + p1) * (x + p2 + p3);
        int span = ((y - 1) * stride) + x;
        return SimHarness.Load(t, rng.Next(sramLimit - window), dramBase + (uint)rng.Next(dramTiles - span), y, x, stride, p0, p1, p2, p3);
    }

    private static GemmInsn Gemm(Random rng)
    {
        int bgn = rng.Next(60);
        return SimHarness.Gemm(bgn, bgn + rng.Next(5), rng.Next(1, 4), rng.Next(1, 4), rng.Next(4), rng.Next(4), rng.Next(4),
            rng.Next(4), rng.Next(4), rng.Next(4), reset: rng.Next(5) == 0);
    }

    private static AluInsn Alu(Random rng)
    {
        var op = (AluOpcode)rng.Next(4);
        bool imm = rng.Next(2) == 0;
        int bgn = rng.Next(60);
        return SimHarness.Alu(op, bgn, bgn + rng.Next(5), imm, (short)rng.Next(-15, 16), rng.Next(1, 4), rng.Next(1, 4),
            rng.Next(4), rng.Next(4), rng.Next(4), rng.Next(4));
    }

    private static MemInsn Store(Random rng, uint dramBase)
    {
        int y = rng.Next(1, 3), x = rng.Next(1, 9), stride = x + rng.Next(4);
        return SimHarness.Store(rng.Next(128 - (x * y)), dramBase + (uint)rng.Next(OutTiles - ((y - 1) * stride) - x), y, x, stride);
    }

    /// <summary>Pops only tokens earlier instructions pushed, so stream order is always a valid schedule.</summary>
    private static DepFlags ProtocolDeps(Random rng, Instruction insn, int[] outstanding)
    {
        var module = PipelineRouting.ModuleOf(insn);
        var deps = DepFlags.None;
        if (PipelineRouting.PopPrevQueue(module) is { } pp && outstanding[(int)pp] > 0 && rng.Next(2) == 0)
        {
            outstanding[(int)pp]--;
            deps |= DepFlags.PopPrev;
        }

        if (PipelineRouting.PopNextQueue(module) is { } pn && outstanding[(int)pn] > 0 && rng.Next(2) == 0)
        {
            outstanding[(int)pn]--;
            deps |= DepFlags.PopNext;
        }

        if (PipelineRouting.PushPrevQueue(module) is { } hp && rng.Next(5) < 2)
        {
            outstanding[(int)hp]++;
            deps |= DepFlags.PushPrev;
        }

        if (PipelineRouting.PushNextQueue(module) is { } hn && rng.Next(5) < 2)
        {
            outstanding[(int)hn]++;
            deps |= DepFlags.PushNext;
        }

        return deps;
    }

    /// <summary>Any flag the instruction's module has a queue for, each with probability 1/10.</summary>
    private static DepFlags RandomDeps(Random rng, Instruction insn)
    {
        var module = PipelineRouting.ModuleOf(insn);
        var deps = DepFlags.None;
        foreach (var flag in new[] { DepFlags.PopPrev, DepFlags.PopNext, DepFlags.PushPrev, DepFlags.PushNext })
        {
            deps |= QueueOf(module, flag) is not null && rng.Next(10) == 0 ? flag : 0;
        }

        return deps;
    }

    private static TokenQueue? QueueOf(PipelineModule module, DepFlags flag) => flag switch
    {
        DepFlags.PopPrev => PipelineRouting.PopPrevQueue(module),
        DepFlags.PopNext => PipelineRouting.PopNextQueue(module),
        DepFlags.PushPrev => PipelineRouting.PushPrevQueue(module),
        _ => PipelineRouting.PushNextQueue(module),
    };

    /// <summary>NOPs on each queue's consumer pop whatever is still outstanding.</summary>
    private static void Drain(List<Instruction> program, int[] outstanding)
    {
        for (int q = 0; q < 4; q++)
        {
            for (; outstanding[q] > 0; outstanding[q]--)
            {
                program.Add((TokenQueue)q switch
                {
                    TokenQueue.L2G => SimHarness.Nop(MemoryType.Uop, DepFlags.PopPrev),
                    TokenQueue.S2G => SimHarness.Nop(MemoryType.Uop, DepFlags.PopNext),
                    TokenQueue.G2L => SimHarness.Nop(MemoryType.Inp, DepFlags.PopNext),
                    _ => SimHarness.Nop(MemoryType.Out, DepFlags.PopPrev, Opcode.Store),
                });
            }
        }
    }
}
