using Vta.Hardware.Isa;
using Vta.Sim;

namespace Vta.Runtime.Commands;

/// <summary>The three pipeline stages, numbered as TVM's runtime numbers them (queue ids 1, 2, 3).</summary>
public enum Stage
{
    Load = 1,
    Compute = 2,
    Store = 3,
}

public static class Stages
{
    /// <summary>The module an instruction runs on (the fetch module's routing).</summary>
    public static Stage Of(Instruction insn) => PipelineRouting.ModuleOf(insn) switch
    {
        PipelineModule.Load => Stage.Load,
        PipelineModule.Compute => Stage.Compute,
        _ => Stage.Store,
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

    /// <summary>Adds an instruction's pushes and subtracts its pops from the per-queue balance (indexed by the simulator's <see cref="TokenQueue"/>).</summary>
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
