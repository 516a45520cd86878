namespace Vta.Hardware.Isa;

/// <summary>One decoded 128-bit VTA instruction.</summary>
public abstract record Instruction(DepFlags Deps)
{
    public abstract Opcode Opcode { get; }

    public bool PopPrev => (Deps & DepFlags.PopPrev) != 0;
    public bool PopNext => (Deps & DepFlags.PopNext) != 0;
    public bool PushPrev => (Deps & DepFlags.PushPrev) != 0;
    public bool PushNext => (Deps & DepFlags.PushNext) != 0;

    /// <summary>The same instruction with other dependency flags.</summary>
    public abstract Instruction WithDeps(DepFlags deps);
}

/// <summary>LOAD or STORE (VTAMemInsn). Sizes, strides and SRAM addresses count elements of the memory type.</summary>
public sealed record MemInsn(
    Opcode Op,
    DepFlags Deps,
    MemoryType MemoryType,
    int SramBase,
    uint DramBase,
    int YSize,
    int XSize,
    int XStride,
    int YPad0 = 0,
    int YPad1 = 0,
    int XPad0 = 0,
    int XPad1 = 0) : Instruction(Deps)
{
    public override Opcode Opcode => Op;

    public bool IsLoad => Op == Opcode.Load;

    /// <summary>x_size 0 moves nothing: a no-op that only carries dependency tokens.</summary>
    public bool IsNop => XSize == 0;

    public override Instruction WithDeps(DepFlags deps) => this with { Deps = deps };
}

/// <summary>GEMM (VTAGemInsn): two loop levels over the micro-ops [UopBgn, UopEnd).</summary>
public sealed record GemmInsn(
    DepFlags Deps,
    bool ResetReg,
    int UopBgn,
    int UopEnd,
    int IterOut,
    int IterIn,
    int DstFactorOut,
    int DstFactorIn,
    int SrcFactorOut,
    int SrcFactorIn,
    int WgtFactorOut,
    int WgtFactorIn) : Instruction(Deps)
{
    public override Opcode Opcode => Opcode.Gemm;

    /// <summary>Micro-ops executed: iter_out × iter_in × (uop_end − uop_bgn).</summary>
    public long UopCount => (long)IterOut * IterIn * Math.Max(0, UopEnd - UopBgn);

    public override Instruction WithDeps(DepFlags deps) => this with { Deps = deps };
}

/// <summary>ALU (VTAAluInsn): element-wise operation on accumulator tiles; reset_reg is ignored by hardware.</summary>
public sealed record AluInsn(
    DepFlags Deps,
    bool ResetReg,
    int UopBgn,
    int UopEnd,
    int IterOut,
    int IterIn,
    int DstFactorOut,
    int DstFactorIn,
    int SrcFactorOut,
    int SrcFactorIn,
    AluOpcode AluOpcode,
    bool UseImm,
    short Imm) : Instruction(Deps)
{
    public override Opcode Opcode => Opcode.Alu;

    public long UopCount => (long)IterOut * IterIn * Math.Max(0, UopEnd - UopBgn);

    public override Instruction WithDeps(DepFlags deps) => this with { Deps = deps };
}

/// <summary>FINISH: executed by compute, ends the run.</summary>
public sealed record FinishInsn(DepFlags Deps) : Instruction(Deps)
{
    public override Opcode Opcode => Opcode.Finish;

    public override Instruction WithDeps(DepFlags deps) => this with { Deps = deps };
}

/// <summary>A 32-bit micro-op. For GEMM src indexes INP; for ALU src indexes ACC and wgt is ignored.</summary>
public readonly record struct Uop(int DstIdx, int SrcIdx, int WgtIdx = 0);
