using Vta.Runtime.Commands;

namespace Vta.Runtime.Kernels;

/// <summary>
/// The readable face of the command queue, the role TVM's tensor-expression scripts play in the tutorials: one
/// block per stage, each written as wait → work → signal, so the double-buffering protocol reads top to bottom.
/// </summary>
public sealed class KernelBuilder
{
    public KernelBuilder(CommandQueue queue)
    {
        Queue = queue;
        Load = new StageBlock(queue, Stage.Load);
        Compute = new StageBlock(queue, Stage.Compute);
        Store = new StageBlock(queue, Stage.Store);
    }

    public CommandQueue Queue { get; }

    /// <summary>INP and WGT loads.</summary>
    public StageBlock Load { get; }

    /// <summary>ACC loads, GEMM and ALU.</summary>
    public StageBlock Compute { get; }

    /// <summary>OUT stores.</summary>
    public StageBlock Store { get; }
}
