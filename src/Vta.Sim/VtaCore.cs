using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>
/// The data engine: SRAMs, counters and the work of one instruction at a time (no scheduling, no tokens), so that the
/// behavioral and timing simulators share it. Every instruction is validated before it touches any state.
/// </summary>
public sealed partial class VtaCore
{
    private readonly int _inpElemBytes;
    private readonly int _wgtElemBytes;
    private readonly int _accLanes;

    public VtaCore(VtaConfig config, Dram dram)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dram);
        if (!BitConverter.IsLittleEndian)
        {
            // LOAD/STORE copy DRAM bytes straight into the SRAM arrays, which assumes VTA's little-endian layout.
            throw new PlatformNotSupportedException("the VTA simulator needs a little-endian host");
        }

        Config = config;
        Dram = dram;
        Sram = new SramBuffers(config);
        _inpElemBytes = config.InpElemBytes;
        _wgtElemBytes = config.WgtElemBytes;
        _accLanes = config.Batch * config.BlockOut;
        _uopFields = UopFields.For(config);
    }

    public VtaConfig Config { get; }

    public Dram Dram { get; }

    public SramBuffers Sram { get; }

    public SimCounters Counters { get; } = new();

    public PortBases Bases { get; set; } = PortBases.Zero;

    public OutSemantics Semantics { get; set; } = OutSemantics.Fsim;

    /// <summary>TVM's kSkipExec debug flag: counters update, but only UOP loads move data.</summary>
    public bool SkipExecution { get; set; }

    /// <summary>Which kernels GEMM/ALU use; tests force the portable ones to compare them with the reference.</summary>
    internal KernelPath KernelPath { get; set; } = KernelPath.Best;

    /// <summary>Performs one instruction's data work and counts it. Throws <see cref="VtaSimException"/> naming the index.</summary>
    public void Execute(Instruction insn, int index)
    {
        Validate(insn, index);
        ExecuteValidated(insn, index);
    }

    /// <summary>Execute without re-running <see cref="Validate"/> (the simulator validates the whole stream first).</summary>
    internal void ExecuteValidated(Instruction insn, int index)
    {
        switch (insn)
        {
            case MemInsn { IsNop: true }:
                // x_size 0: a dependency-only NOP; TVM returns before counting or moving anything.
                break;
            case MemInsn { Op: Opcode.Load } m:
                ExecuteLoad(m, index);
                break;
            case MemInsn m:
                ExecuteStore(m, index);
                break;
            case GemmInsn g:
                ExecuteGemm(g, index);
                break;
            case AluInsn a:
                ExecuteAlu(a, index);
                break;
            case FinishInsn:
                break;
            default:
                throw new VtaSimException($"unknown instruction kind {insn.GetType().Name}", index);
        }

        if (AccessObserver is { } observer)
        {
            ReportAccesses(observer, insn, index);
        }
    }

    /// <summary>Checks everything that does not depend on SRAM contents (fields, memory types, static SRAM ranges).</summary>
    public void Validate(Instruction insn, int index)
    {
        ArgumentNullException.ThrowIfNull(insn);
        if (((int)insn.Deps & ~0xF) != 0)
        {
            throw new VtaSimException($"unknown dependency flag bits 0x{(int)insn.Deps:X}", index);
        }

        switch (insn)
        {
            case MemInsn m:
                ValidateMem(m, index);
                break;
            case GemmInsn g:
                ValidateLoop("GEMM", g.UopBgn, g.UopEnd, g.IterOut, g.IterIn, index,
                    g.DstFactorOut, g.DstFactorIn, g.SrcFactorOut, g.SrcFactorIn, g.WgtFactorOut, g.WgtFactorIn);
                break;
            case AluInsn a:
                ValidateLoop("ALU", a.UopBgn, a.UopEnd, a.IterOut, a.IterIn, index,
                    a.DstFactorOut, a.DstFactorIn, a.SrcFactorOut, a.SrcFactorIn);
                if (a.AluOpcode > AluOpcode.Mul)
                {
                    throw new VtaSimException($"unknown ALU opcode {(int)a.AluOpcode}", index);
                }

                if (a.AluOpcode == AluOpcode.Mul && !Config.HasAluMul)
                {
                    throw new VtaSimException(
                        $"ALU MUL exists only in TVM's functional simulator and intelfocl (TARGET sim/intelfocl), not on target '{Config.Target}'", index);
                }

                break;
            case FinishInsn:
                break;
            default:
                throw new VtaSimException($"unknown instruction kind {insn.GetType().Name}", index);
        }
    }

    private void ValidateLoop(string kind, int bgn, int end, int iterOut, int iterIn, int index, params ReadOnlySpan<int> factors)
    {
        bool negative = bgn < 0 || end < 0 || iterOut < 0 || iterIn < 0;
        foreach (int f in factors)
        {
            negative |= f < 0;
        }

        if (negative)
        {
            throw new VtaSimException($"{kind} has a negative field", index);
        }

        if (bgn > end)
        {
            throw new VtaSimException($"{kind} uop_bgn {bgn} is greater than uop_end {end}", index);
        }

        if (end > Config.UopBuffDepth)
        {
            throw new VtaSimException($"{kind} uop_end {end} is past the micro-op buffer depth {Config.UopBuffDepth}", index);
        }
    }

    private void ValidateMem(MemInsn m, int index)
    {
        if (m.Op is not (Opcode.Load or Opcode.Store))
        {
            throw new VtaSimException($"a memory instruction must be LOAD or STORE, not {m.Op}", index);
        }

        if (m.MemoryType > MemoryType.Acc8Bit)
        {
            throw new VtaSimException($"unknown memory type {(int)m.MemoryType}", index);
        }

        if (m.SramBase < 0 || m.YSize < 0 || m.XSize < 0 || m.XStride < 0 || m.YPad0 < 0 || m.YPad1 < 0 || m.XPad0 < 0 || m.XPad1 < 0)
        {
            throw new VtaSimException($"{m.Op} has a negative field", index);
        }

        if (m.IsNop)
        {
            // TVM returns before looking at anything else; its runtime emits store NOPs with memory type UOP.
            return;
        }

        if (m.Op == Opcode.Store)
        {
            if (m.MemoryType != MemoryType.Out)
            {
                throw new VtaSimException($"STORE of memory type {m.MemoryType.ToString().ToUpperInvariant()}: only OUT can be stored", index);
            }

            if ((m.YPad0 | m.YPad1 | m.XPad0 | m.XPad1) != 0)
            {
                throw new VtaSimException(
                    $"STORE with padding (y_pad {m.YPad0}/{m.YPad1}, x_pad {m.XPad0}/{m.XPad1}): stores cannot pad", index);
            }

            CheckSramRange("STORE from OUT", m.SramBase, (long)m.XSize * m.YSize, Config.OutBuffDepth, index);
            return;
        }

        switch (m.MemoryType)
        {
            case MemoryType.Out:
                throw new VtaSimException("LOAD of memory type OUT: the OUT buffer is written only by GEMM/ALU", index);
            case MemoryType.Acc8Bit when !Config.HasAluMul:
                throw new VtaSimException(
                    $"LOAD ACC_8BIT exists only in TVM's functional simulator and intelfocl (TARGET sim/intelfocl), not on target '{Config.Target}'", index);
        }

        var (rows, cols) = LoadShape(m);
        CheckSramRange($"LOAD {MemName(m.MemoryType)}", m.SramBase, rows * cols, Depth(m.MemoryType), index);
    }

    private static void CheckSramRange(string what, int sramBase, long count, int depth, int index)
    {
        if (sramBase + count > depth)
        {
            throw new VtaSimException(
                $"{what} writes SRAM elements {sramBase}..{sramBase + count - 1}, past the buffer depth {depth}", index);
        }
    }

    private int Depth(MemoryType t) => t switch
    {
        MemoryType.Uop => Config.UopBuffDepth,
        MemoryType.Inp => Config.InpBuffDepth,
        MemoryType.Wgt => Config.WgtBuffDepth,
        _ => Config.AccBuffDepth,
    };

    internal static string MemName(MemoryType t) => t == MemoryType.Acc8Bit ? "ACC_8BIT" : t.ToString().ToUpperInvariant();
}
