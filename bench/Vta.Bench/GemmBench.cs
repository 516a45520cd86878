using BenchmarkDotNet.Attributes;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Bench;

/// <summary>
/// A blocked GEMM program of 1,048,576 micro-ops (268 M int8 MACs at the default configuration) on the behavioral
/// simulator, beside the plain scalar reference loop doing the same GEMM instruction.
/// </summary>
[MemoryDiagnoser]
public class GemmBench
{
    public const int Uops = 16, IterOut = 128, IterIn = 512;
    public const long UopCount = (long)Uops * IterOut * IterIn;

    private readonly VtaConfig _config = VtaConfig.Default;
    private BehavioralSimulator _sim = null!;
    private Instruction[] _program = null!;
    private GemmInsn _gemm = null!;
    private Uop[] _uops = null!;
    private sbyte[] _inp = null!, _wgt = null!, _out = null!;
    private int[] _acc = null!;

    [GlobalSetup]
    public void Setup()
    {
        var c = _config;
        var rng = new Random(1);
        _uops = Enumerable.Range(0, Uops).Select(k => new Uop(k, k, k)).ToArray();
        _inp = new sbyte[c.InpBuffDepth * c.InpElemBytes];
        _wgt = new sbyte[c.WgtBuffDepth * c.WgtElemBytes];
        _acc = new int[c.AccBuffDepth * c.Batch * c.BlockOut];
        _out = new sbyte[c.AccBuffDepth * c.OutElemBytes];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_inp.AsSpan()));
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_wgt.AsSpan()));

        // dst walks 16 accumulators per outer step, src walks the input on the inner loop, wgt on the outer one.
        _gemm = new GemmInsn(DepFlags.PopPrev, false, 0, Uops, IterOut, IterIn, Uops, 0, 0, 1, 1, 0);
        var dram = new Dram();
        var enc = new InsnEncoder(c);
        uint uopAddr = dram.Alloc(Uops * 4), inpAddr = dram.Alloc(_inp.Length), wgtAddr = dram.Alloc(_wgt.Length);
        dram.Write(uopAddr, enc.EncodeUops(_uops));
        dram.Write(inpAddr, System.Runtime.InteropServices.MemoryMarshal.AsBytes(_inp.AsSpan()));
        dram.Write(wgtAddr, System.Runtime.InteropServices.MemoryMarshal.AsBytes(_wgt.AsSpan()));
        _program =
        [
            new MemInsn(Opcode.Load, DepFlags.None, MemoryType.Uop, 0, uopAddr / 4, 1, Uops, Uops),
            new MemInsn(Opcode.Load, DepFlags.None, MemoryType.Inp, 0, (uint)(inpAddr / c.InpElemBytes), 1, c.InpBuffDepth, c.InpBuffDepth),
            new MemInsn(Opcode.Load, DepFlags.PushNext, MemoryType.Wgt, 0, (uint)(wgtAddr / c.WgtElemBytes), 1, c.WgtBuffDepth, c.WgtBuffDepth),
            _gemm,
            new FinishInsn(DepFlags.None),
        ];
        _sim = new BehavioralSimulator(c, dram);
    }

    /// <summary>The plain scalar loop: the same GEMM instruction on the same data, element by element.</summary>
    [Benchmark(Baseline = true)]
    public void ScalarReference() => ReferenceKernels.Gemm(_config, _gemm, _uops, _inp, _wgt, _acc, _out, OutSemantics.Fsim);

    /// <summary>The whole program (loads, GEMM, FINISH) on the behavioral simulator.</summary>
    [Benchmark]
    public void Simulator() => _sim.Run(_program);
}
