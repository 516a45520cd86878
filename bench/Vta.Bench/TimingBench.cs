using BenchmarkDotNet.Attributes;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Bench;

/// <summary>
/// The conv2d demo's instruction stream (Vta.Runtime's Conv2dDemo at the default configuration: 256 → 256 channels,
/// 14 × 14, 3 × 3, two virtual threads; 71 instructions, 1,025 uops, 451,584 GEMM uops) on the behavioral simulator
/// and on the timing simulator, with and without data work. The bench project references only Vta.Sim, so the stream
/// is rebuilt here instruction for instruction as the command queue emits it (same tiling, uop kernels, tokens and
/// closing NOPs); TimingDeviceTests runs the real demo on both devices.
/// </summary>
[MemoryDiagnoser]
public class TimingBench
{
    private BehavioralSimulator _behavioral = null!;
    private TimingSimulator _timing = null!;
    private TimingSimulator _timingOnly = null!;
    private IReadOnlyList<Instruction> _program = null!;

    [GlobalSetup]
    public void Setup()
    {
        var c = VtaConfig.Default;
        _behavioral = new BehavioralSimulator(c, Conv2dStream.Build(c, new Dram(), out _program));
        _timing = new TimingSimulator(c, Conv2dStream.Build(c, new Dram(), out _));
        _timingOnly = new TimingSimulator(c, Conv2dStream.Build(c, new Dram(), out _)) { SkipExecution = true };

        // A stream that does not run, or times differently from the demo, would make the comparison meaningless.
        _behavioral.Run(_program);
        var report = _timing.Run(_program);
        if (_behavioral.Counters.GemmCounter != 451_584 || report.GemmUsefulCycles != 451_584)
        {
            throw new InvalidOperationException($"unexpected conv2d stream: {_behavioral.Counters}");
        }

        Console.WriteLine($"// conv2d stream on the timing model: {report}");
    }

    [Benchmark(Baseline = true)]
    public void Behavioral() => _behavioral.Run(_program);

    [Benchmark]
    public TimingReport Timing() => _timing.Run(_program);

    /// <summary>Counters and timing without data work (kSkipExec), as a tuner would use it.</summary>
    [Benchmark]
    public TimingReport TimingSkipExecution() => _timingOnly.Run(_program);
}

/// <summary>Conv2dDemo's stream at the default configuration (to = 8 output blocks, ct = 4 input blocks per tile).</summary>
internal static class Conv2dStream
{
    private const int H = 14, W = 14, Hp = 16, Wp = 16, Taps = 9, Pixels = H * W;

    public static Dram Build(VtaConfig c, Dram dram, out IReadOnlyList<Instruction> program)
    {
        int cib = 256 / c.BlockIn, cob = 256 / c.BlockOut;
        const int To = 8, Ct = 4;
        var rng = new Random(1);
        uint inp = Put(dram, rng, cib * Pixels * c.InpElemBytes);
        uint wgt = Put(dram, rng, cob * cib * Taps * c.WgtElemBytes);
        uint @out = dram.Alloc(cob * Pixels * c.OutElemBytes);

        // Uop kernels in the order the queue stages them: reset, GEMM for each half, then the three ALU ops.
        var uops = new List<Uop>();
        for (int y = 0; y < H; y++)
        {
            uops.Add(new Uop(y * W, 0, 0));
        }

        for (int h = 0; h < 2; h++)
        {
            for (int tap = 0; tap < Taps; tap++)
            {
                for (int ci = 0; ci < Ct; ci++)
                {
                    for (int y = 0; y < H; y++)
                    {
                        uops.Add(new Uop(y * W, ((h * Ct) + ci) * Hp * Wp + ((y + (tap / 3)) * Wp) + (tap % 3), (h * To * Ct * Taps) + (ci * Taps) + tap));
                    }
                }
            }
        }

        uops.AddRange([new Uop(0, 0), new Uop(0, 0), new Uop(0, 0)]);
        uint uopAddr = dram.Alloc(uops.Count * 4);
        dram.Write(uopAddr, new InsnEncoder(c).EncodeUops(uops));
        int kernel = 504, gemm0 = 14, gemm1 = gemm0 + kernel, alu = gemm1 + kernel;

        var p = new List<Instruction>();
        var loaded = new bool[uops.Count];
        bool pendingPopPrev = false, pendingPopNext = false;
        void Compute(Instruction insn, int uopBgn = -1, int uopCount = 0)
        {
            if (uopBgn >= 0 && !loaded[uopBgn])
            {
                // The first use of a kernel loads it; the first compute instruction of a step carries its pops.
                loaded[uopBgn] = true;
                Add(new MemInsn(Opcode.Load, DepFlags.None, MemoryType.Uop, uopBgn, (uint)(uopAddr / 4 + uopBgn), 1, uopCount, uopCount));
            }

            Add(insn);
        }

        void Add(Instruction insn)
        {
            if (PipelineRouting.ModuleOf(insn) == PipelineModule.Compute)
            {
                insn = insn.WithDeps(insn.Deps | (pendingPopPrev ? DepFlags.PopPrev : 0) | (pendingPopNext ? DepFlags.PopNext : 0));
                pendingPopPrev = pendingPopNext = false;
            }

            p.Add(insn);
        }

        int step = 0;
        for (int ot = 0; ot < cob / To; ot++)
        {
            for (int it = 0; it < cib / Ct; it++, step++)
            {
                int h = step % 2;
                for (int ci = 0; ci < Ct; ci++)
                {
                    var deps = ci == 0 && step >= 2 ? DepFlags.PopNext : DepFlags.None;
                    p.Add(new MemInsn(Opcode.Load, deps, MemoryType.Inp, ((h * Ct) + ci) * Hp * Wp,
                        (uint)(inp / c.InpElemBytes + (((it * Ct) + ci) * Pixels)), H, W, W, 1, 1, 1, 1));
                }

                p.Add(new MemInsn(Opcode.Load, DepFlags.PushNext, MemoryType.Wgt, h * To * Ct * Taps,
                    (uint)(wgt / c.WgtElemBytes + ((((ot * To) * cib) + (it * Ct)) * Taps)), To, Ct * Taps, cib * Taps));
                pendingPopPrev = true;
                if (it == 0)
                {
                    pendingPopNext = ot > 0;
                    Compute(new GemmInsn(DepFlags.None, true, 0, 14, To, W, Pixels, 1, 0, 0, 0, 0), 0, 14);
                }

                int bgn = h == 0 ? gemm0 : gemm1;
                Compute(new GemmInsn(DepFlags.PushPrev, false, bgn, bgn + kernel, To, W, Pixels, 1, 0, 1, Ct * Taps, 0), bgn, kernel);
                if (it == (cib / Ct) - 1)
                {
                    var ops = new[] { (AluOpcode.Shr, (short)8), (AluOpcode.Max, (short)0), (AluOpcode.Min, (short)127) };
                    for (int k = 0; k < 3; k++)
                    {
                        var deps = k == 2 ? DepFlags.PushNext : DepFlags.None;
                        Compute(new AluInsn(deps, false, alu + k, alu + k + 1, 1, To * Pixels, 0, 1, 0, 1, ops[k].Item1, true, ops[k].Item2), alu + k, 1);
                    }

                    p.Add(new MemInsn(Opcode.Store, DepFlags.PopPrev | DepFlags.PushPrev, MemoryType.Out, 0,
                        (uint)(@out / c.OutElemBytes + (ot * To * Pixels)), 1, To * Pixels, To * Pixels));
                }
            }
        }

        // Synchronize: the load module drains the two g2l tokens of the last GEMMs, compute the last store's s2g;
        // then store and load hand compute one token each, which the closing NOP pops before FINISH.
        p.Add(Nop(Opcode.Load, MemoryType.Inp, DepFlags.PopNext));
        p.Add(Nop(Opcode.Load, MemoryType.Inp, DepFlags.PopNext));
        p.Add(Nop(Opcode.Load, MemoryType.Uop, DepFlags.PopNext));
        p.Add(Nop(Opcode.Store, MemoryType.Out, DepFlags.PushPrev));
        p.Add(Nop(Opcode.Load, MemoryType.Inp, DepFlags.PushNext));
        p.Add(Nop(Opcode.Load, MemoryType.Uop, DepFlags.PopPrev | DepFlags.PopNext));
        p.Add(new FinishInsn(DepFlags.None));
        program = p;
        return dram;
    }

    private static MemInsn Nop(Opcode op, MemoryType type, DepFlags deps) => new(op, deps, type, 0, 0, 0, 0, 0);

    private static uint Put(Dram dram, Random rng, int bytes)
    {
        uint addr = dram.Alloc(bytes);
        var data = new byte[bytes];
        rng.NextBytes(data);
        dram.Write(addr, data);
        return addr;
    }
}
