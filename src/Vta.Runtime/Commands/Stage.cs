using Vta.Hardware.Isa;

namespace Vta.Runtime.Commands;

/// <summary>The three pipeline stages, numbered as TVM's runtime numbers them (queue ids 1, 2, 3).</summary>
public enum Stage
{
    Load = 1,
    Compute = 2,
    Store = 3,
}

/// <summary>The four dependency-token queues between adjacent stages.</summary>
public enum TokenQueue
{
    /// <summary>load → compute ("data ready").</summary>
    L2G,

    /// <summary>compute → load ("buffer free").</summary>
    G2L,

    /// <summary>compute → store.</summary>
    G2S,

    /// <summary>store → compute.</summary>
    S2G,
}

public static class Stages
{
    /// <summary>The module an instruction runs on (the fetch module's routing).</summary>
    public static Stage Of(Instruction insn) => insn switch
    {
        MemInsn { Op: Opcode.Store } => Stage.Store,
        MemInsn { Op: Opcode.Load, MemoryType: MemoryType.Inp or MemoryType.Wgt } => Stage.Load,
        _ => Stage.Compute,
    };

    /// <summary>The queue a token from <paramref name="from"/> to <paramref name="to"/> travels in.</summary>
    public static TokenQueue QueueOf(Stage from, Stage to) => (from, to) switch
    {
        (Stage.Load, Stage.Compute) => TokenQueue.L2G,
        (Stage.Compute, Stage.Load) => TokenQueue.G2L,
        (Stage.Compute, Stage.Store) => TokenQueue.G2S,
        (Stage.Store, Stage.Compute) => TokenQueue.S2G,
        _ => throw new VtaRuntimeException($"no dependency queue from the {from} stage to the {to} stage (only adjacent stages exchange tokens)"),
    };

    /// <summary>Adds an instruction's pushes and subtracts its pops from the per-queue balance.</summary>
    public static void Apply(Instruction insn, Span<int> balance, int sign = 1)
    {
        switch (Of(insn))
        {
            case Stage.Load:
                balance[(int)TokenQueue.G2L] -= insn.PopNext ? sign : 0;
                balance[(int)TokenQueue.L2G] += insn.PushNext ? sign : 0;
                break;
            case Stage.Compute:
                balance[(int)TokenQueue.L2G] -= insn.PopPrev ? sign : 0;
                balance[(int)TokenQueue.S2G] -= insn.PopNext ? sign : 0;
                balance[(int)TokenQueue.G2L] += insn.PushPrev ? sign : 0;
                balance[(int)TokenQueue.G2S] += insn.PushNext ? sign : 0;
                break;
            case Stage.Store:
                balance[(int)TokenQueue.G2S] -= insn.PopPrev ? sign : 0;
                balance[(int)TokenQueue.S2G] += insn.PushPrev ? sign : 0;
                break;
        }
    }
}
