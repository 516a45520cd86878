using Vta.Compiler.Graphs;

namespace Vta.Compiler.Cpu;

/// <summary>
/// A caller-provided output tensor for the kernel call running on this thread (<see cref="IPreparedCpu.RunInto"/>): a
/// kernel that allocates its output through <see cref="Take"/> writes into it instead of a fresh array, so a caller that
/// owns its buffers (as ONNX Runtime's arena does) pays no allocation and no garbage collection per call.
/// </summary>
public static class CpuOutputSlot
{
    [ThreadStatic]
    private static Tensor? t_output;

    /// <summary>Runs <paramref name="run"/> with <paramref name="output"/> offered as its output; returns what it returned.</summary>
    public static Tensor With(Tensor output, Func<Tensor> run)
    {
        t_output = output;
        try
        {
            return run();
        }
        finally
        {
            t_output = null;
        }
    }

    /// <summary>The offered tensor if it has exactly <paramref name="type"/> (it is handed out once), else null.</summary>
    public static Tensor? Take(TensorType type)
    {
        if (t_output is { } offered && offered.Type == type)
        {
            t_output = null;
            return offered;
        }

        return null;
    }
}
