using Vta.Hardware.Config;
using Vta.Hardware.Isa;

namespace Vta.Conformance.Tests.Infrastructure;

/// <summary>Pipeline stages as TVM's InsnQueue numbers them.</summary>
internal enum Stage
{
    Load = 1,
    Compute = 2,
    Store = 3,
}

/// <summary>
/// Builds an instruction stream and its micro-op image. Two styles:
/// <list type="bullet">
/// <item>bare metal (test_lib): instructions emitted with explicit dependency flags;</item>
/// <item>runtime (TVM's InsnQueue in runtime.cc): <see cref="DepPush"/>/<see cref="DepPop"/> set the flags on the last
/// instruction of a stage or emit NOPs, new instructions absorb their stage's pending pops, uop kernels are loaded once
/// with a LOAD UOP when first used, and <see cref="Synchronize"/> ends the stream as VTASynchronize does.</item>
/// </list>
/// </summary>
internal sealed class ProgramBuilder
{
    private readonly List<Instruction> _insns = [];
    private readonly List<Uop> _uopImage = [];
    private readonly Dictionary<UopKernel, int> _resident = new(ReferenceEqualityComparer.Instance);
    private readonly bool[] _pendingPopPrev = new bool[4];
    private readonly bool[] _pendingPopNext = new bool[4];
    private int _ringTop;

    /// <param name="config">The configuration (uop buffer depth for the kernel ring).</param>
    /// <param name="uopDramBase">dram_base, in 4-byte uops, of element 0 of the uop image.</param>
    public ProgramBuilder(VtaConfig config, long uopDramBase)
    {
        Config = config;
        UopDramBase = uopDramBase;
    }

    public VtaConfig Config { get; }

    public long UopDramBase { get; }

    public IReadOnlyList<Instruction> Instructions => _insns;

    /// <summary>The micro-ops to place in DRAM at <see cref="UopDramBase"/>.</summary>
    public IReadOnlyList<Uop> UopImage => _uopImage;

    /// <summary>Routing of §4: STORE → store; LOAD INP/WGT → load; everything else → compute.</summary>
    public static Stage StageOf(Instruction insn) => insn switch
    {
        MemInsn { Op: Opcode.Store } => Stage.Store,
        MemInsn { MemoryType: MemoryType.Inp or MemoryType.Wgt } => Stage.Load,
        _ => Stage.Compute,
    };

    /// <summary>Appends an instruction; it also takes its stage's pending pops (none in bare-metal programs).</summary>
    public void Emit(Instruction insn)
    {
        int s = (int)StageOf(insn);
        DepFlags deps = insn.Deps;
        if (_pendingPopPrev[s])
        {
            deps |= DepFlags.PopPrev;
        }

        if (_pendingPopNext[s])
        {
            deps |= DepFlags.PopNext;
        }

        _pendingPopPrev[s] = false;
        _pendingPopNext[s] = false;
        _insns.Add(insn.WithDeps(deps));
    }

    /// <summary>Appends micro-ops to the image; returns the offset (in uops) of the first one.</summary>
    public int StageUops(IEnumerable<Uop> uops)
    {
        int offset = _uopImage.Count;
        _uopImage.AddRange(uops);
        return offset;
    }

    public void Load(MemoryType type, int sramBase, long dramBase, int ySize, int xSize, int xStride,
        Pads pads = default, DepFlags deps = DepFlags.None) =>
        Emit(new MemInsn(Opcode.Load, deps, type, sramBase, checked((uint)dramBase), ySize, xSize, xStride,
            pads.Y0, pads.Y1, pads.X0, pads.X1));

    public void Store(int sramBase, long dramBase, int ySize, int xSize, int xStride, DepFlags deps = DepFlags.None) =>
        Emit(new MemInsn(Opcode.Store, deps, MemoryType.Out, sramBase, checked((uint)dramBase), ySize, xSize, xStride));

    public void Finish(DepFlags deps = DepFlags.None) => Emit(new FinishInsn(deps));

    /// <summary>
    /// Makes a kernel resident in the uop SRAM (runtime UopQueue): a kernel already loaded is reused; otherwise its
    /// uops are appended to the image and a LOAD UOP (compute stage) copies them to the next ring position, wrapping
    /// to 0 (and forgetting every resident kernel) when the ring is full. Returns the kernel's uop_bgn.
    /// </summary>
    public int Place(UopKernel kernel)
    {
        if (_resident.TryGetValue(kernel, out int bgn))
        {
            return bgn;
        }

        if (_ringTop + kernel.Count > Config.UopBuffDepth)
        {
            _ringTop = 0;
            _resident.Clear();
        }

        bgn = _ringTop;
        int offset = StageUops(kernel.Uops);
        Load(MemoryType.Uop, bgn, UopDramBase + offset, 1, kernel.Count, kernel.Count);
        _resident[kernel] = bgn;
        _ringTop += kernel.Count;
        return bgn;
    }

    /// <summary>VTAPushGEMMOp: place the kernel, then one GEMM over it with up to two loop levels.</summary>
    public void Gemm(UopKernel kernel, bool reset, GemmLoop outer, GemmLoop inner)
    {
        int bgn = Place(kernel);
        Emit(new GemmInsn(DepFlags.None, reset, bgn, bgn + kernel.Count, outer.Extent, inner.Extent,
            outer.Dst, inner.Dst, outer.Src, inner.Src, outer.Wgt, inner.Wgt));
    }

    /// <summary>VTAPushALUOp: place the kernel, then one ALU instruction over it.</summary>
    public void Alu(UopKernel kernel, AluOpcode op, bool useImm, short imm, AluLoop outer, AluLoop inner)
    {
        int bgn = Place(kernel);
        Emit(new AluInsn(DepFlags.None, false, bgn, bgn + kernel.Count, outer.Extent, inner.Extent,
            outer.Dst, inner.Dst, outer.Src, inner.Src, op, useImm, imm));
    }

    /// <summary>ALU with an immediate over <paramref name="tiles"/> consecutive ACC tiles from <paramref name="dst"/>.</summary>
    public void AluImm(AluOpcode op, short imm, int dst, int tiles) =>
        Alu(new UopKernel(new Uop(dst, dst)), op, true, imm, AluLoop.None, new AluLoop(tiles, 1, 1));

    /// <summary>
    /// InsnQueue::DepPop, executed on stage <paramref name="to"/>: a pending pop_prev (from &lt; to) or pop_next; a second
    /// pending pop of the same kind first commits the old one as a NOP.
    /// </summary>
    public void DepPop(Stage from, Stage to)
    {
        CheckPair(from, to);
        bool[] pending = from < to ? _pendingPopPrev : _pendingPopNext;
        if (pending[(int)to])
        {
            CommitPendingPop(to);
        }

        pending[(int)to] = true;
    }

    /// <summary>
    /// InsnQueue::DepPush, executed on stage <paramref name="from"/>: commits the stage's pending pops, then sets the push
    /// flag on the last instruction if it belongs to <paramref name="from"/> and the flag is free, else emits a NOP.
    /// </summary>
    public void DepPush(Stage from, Stage to)
    {
        CheckPair(from, to);
        CommitPendingPop(from);
        DepFlags flag = from < to ? DepFlags.PushNext : DepFlags.PushPrev;
        if (_insns.Count > 0)
        {
            // As GetPipelineStage: a LOAD NOP (x_size 0) belongs to no stage, so it never takes a push.
            Instruction last = _insns[^1];
            bool loadNop = last is MemInsn { Op: Opcode.Load, XSize: 0 };
            if (!loadNop && StageOf(last) == from && (last.Deps & flag) == 0)
            {
                _insns[^1] = last.WithDeps(last.Deps | flag);
                return;
            }
        }

        EmitNop(from, flag);
    }

    /// <summary>Emits a NOP carrying the stage's pending pops, if it has any.</summary>
    public void CommitPendingPop(Stage stage)
    {
        if (_pendingPopPrev[(int)stage] || _pendingPopNext[(int)stage])
        {
            EmitNop(stage, DepFlags.None);
        }
    }

    /// <summary>
    /// VTASynchronize: push store→compute and load→compute, pop both on compute (one compute NOP), then FINISH with no
    /// dependency flags. Every token of a well-formed program is consumed by the end.
    /// </summary>
    public void Synchronize()
    {
        DepPush(Stage.Store, Stage.Compute);
        DepPush(Stage.Load, Stage.Compute);
        DepPop(Stage.Store, Stage.Compute);
        DepPop(Stage.Load, Stage.Compute);
        CommitPendingPop(Stage.Compute);
        Finish();
    }

    /// <summary>
    /// Runtime NOPs (PushNoop), all sizes 0: LOAD INP on the load stage, LOAD UOP on compute, and on the store stage a
    /// STORE whose memory_type is UOP, exactly as the runtime leaves it (memory_type = load stage ? INP : UOP).
    /// </summary>
    private void EmitNop(Stage stage, DepFlags push)
    {
        Opcode op = stage == Stage.Store ? Opcode.Store : Opcode.Load;
        MemoryType type = stage == Stage.Load ? MemoryType.Inp : MemoryType.Uop;
        Emit(new MemInsn(op, push, type, 0, 0, 0, 0, 0));
    }

    private static void CheckPair(Stage from, Stage to)
    {
        if (from == to || Math.Abs((int)from - (int)to) != 1)
        {
            throw new InvalidOperationException($"no dependency queue between {from} and {to}");
        }
    }
}
