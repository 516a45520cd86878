using Vta.Hardware.Isa;

namespace Vta.Sim;

/// <summary>The three task-level modules that execute instructions (fetch only routes).</summary>
public enum PipelineModule
{
    Load,
    Compute,
    Store,
}

/// <summary>The four dependency-token queues between modules.</summary>
public enum TokenQueue
{
    /// <summary>load → compute.</summary>
    L2G,

    /// <summary>compute → load.</summary>
    G2L,

    /// <summary>store → compute.</summary>
    S2G,

    /// <summary>compute → store.</summary>
    G2S,
}

/// <summary>TVM's routing: which module runs an instruction and which queue each dependency flag uses there.</summary>
public static class PipelineRouting
{
    /// <summary>STORE → store; LOAD of INP or WGT → load; everything else (LOAD UOP/ACC, GEMM, ALU, FINISH) → compute.</summary>
    public static PipelineModule ModuleOf(Instruction insn) => insn switch
    {
        MemInsn { Op: Opcode.Store } => PipelineModule.Store,
        MemInsn { Op: Opcode.Load, MemoryType: MemoryType.Inp or MemoryType.Wgt } => PipelineModule.Load,
        _ => PipelineModule.Compute,
    };

    /// <summary>The queue a module pops for pop_prev (null: the module has no such neighbour).</summary>
    public static TokenQueue? PopPrevQueue(PipelineModule m) => m switch
    {
        PipelineModule.Compute => TokenQueue.L2G,
        PipelineModule.Store => TokenQueue.G2S,
        _ => null,
    };

    public static TokenQueue? PopNextQueue(PipelineModule m) => m switch
    {
        PipelineModule.Load => TokenQueue.G2L,
        PipelineModule.Compute => TokenQueue.S2G,
        _ => null,
    };

    public static TokenQueue? PushPrevQueue(PipelineModule m) => m switch
    {
        PipelineModule.Compute => TokenQueue.G2L,
        PipelineModule.Store => TokenQueue.S2G,
        _ => null,
    };

    public static TokenQueue? PushNextQueue(PipelineModule m) => m switch
    {
        PipelineModule.Load => TokenQueue.L2G,
        PipelineModule.Compute => TokenQueue.G2S,
        _ => null,
    };

    public static string Name(TokenQueue q) => q.ToString().ToLowerInvariant();

    public static string Name(PipelineModule m) => m.ToString().ToLowerInvariant();
}
