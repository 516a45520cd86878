using Vta.Compiler.Tiling;
using Vta.Hardware.Config;
using Vta.Runtime.Commands;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Ops.Conv2d;

/// <summary>
/// The DRAM tensors of a conv-family operator, in VTA's blocked layouts. When the epilogue stores several byte planes,
/// <see cref="OutputPlaneElements"/> is the distance between planes in OUT elements (the packed output's size).
/// </summary>
public sealed record ConvOperands(DeviceBuffer Data, DeviceBuffer Weights, DeviceBuffer Output, DeviceBuffer? Bias = null, DeviceBuffer? Residual = null,
    DeviceBuffer? Shifts = null, long OutputPlaneElements = 0);

/// <summary>
/// A compiled conv-family operator: validated, tiled, its micro-op kernels folded. Everything that can be refused is
/// refused here; <see cref="Emit"/> only issues instructions.
/// </summary>
public sealed class ConvPlan
{
    private readonly Dictionary<(int Rows, int Cols), ConvKernels> _kernels;

    private ConvPlan(ConvSchedule schedule, Dictionary<(int, int), ConvKernels> kernels)
    {
        Schedule = schedule;
        _kernels = kernels;
    }

    public ConvSchedule Schedule { get; }

    public ConvProblem Problem => Schedule.P;

    public ConvTiling Tiling => Schedule.T;

    public Epilogue Epilogue => Schedule.E;

    public VtaConfig Config => Schedule.C;

    /// <summary>Multiply-accumulates of the useful work (GEMM micro-ops × BATCH × BLOCK_IN × BLOCK_OUT).</summary>
    public long Macs => Problem.Gemms * Config.Batch * Config.BlockIn * Config.BlockOut;

    public static ConvPlan Compile(ConvLowering lowering, VtaConfig config, ITilingPolicy? policy = null)
    {
        var (problem, epilogue) = lowering;
        epilogue.Validate(problem.Layer);
        var tiling = (policy ?? DefaultTilingPolicy.Instance).Choose(problem, epilogue, config);
        CheckTiling(problem, tiling);
        var schedule = new ConvSchedule(problem, tiling, epilogue, config);
        var shortfalls = schedule.Shortfalls();
        if (shortfalls.Count > 0)
        {
            throw new VtaCompileException(problem.Layer, $"tiling {tiling} does not fit {config.Name}: {string.Join("; ", shortfalls)}");
        }

        var kernels = new Dictionary<(int, int), ConvKernels>();
        foreach (var (_, rows) in problem.Rows.Tiles(tiling.Rows))
        {
            foreach (var (_, cols) in problem.Cols.Tiles(tiling.Cols))
            {
                if (!kernels.ContainsKey((rows, cols)))
                {
                    kernels[(rows, cols)] = new ConvKernels(schedule, rows, cols);
                }
            }
        }

        return new ConvPlan(schedule, kernels);
    }

    /// <summary>Issues the whole operator on <paramref name="queue"/> (the caller synchronizes).</summary>
    public void Emit(CommandQueue queue, ConvOperands operands)
    {
        if ((Epilogue.NeedsBias && operands.Bias is null) || (Epilogue.NeedsResidual && operands.Residual is null) || (Epilogue.NeedsShift && operands.Shifts is null))
        {
            string missing = Epilogue.NeedsBias && operands.Bias is null ? "a bias" : Epilogue.NeedsResidual && operands.Residual is null ? "a residual" : "a shift";
            throw new ArgumentException($"{Problem.Layer}: the epilogue needs {missing} buffer", nameof(operands));
        }

        new ConvEmitter(this, queue, operands).Run();
    }

    internal ConvKernels Kernels(int rows, int cols) => _kernels[(rows, cols)];

    private static void CheckTiling(ConvProblem p, ConvTiling t)
    {
        bool ok = t.BatchBlocks >= 1 && p.BatchBlocks % t.BatchBlocks == 0 && t.Groups >= 1 && p.Groups % t.Groups == 0
            && t.OutBlocks >= 1 && p.OutBlocks % t.OutBlocks == 0 && t.InBlocks >= 1 && p.InBlocks % t.InBlocks == 0
            && t.Rows >= 1 && t.Rows <= p.Rows.Grid && t.Cols >= 1 && t.Cols <= p.Cols.Grid && t.AccBuffers is 1 or 2;
        if (!ok)
        {
            throw new VtaCompileException(p.Layer, $"invalid tiling {t}: block counts must divide the problem's, tile sizes lie in 1..grid, 1 or 2 ACC buffers");
        }
    }
}
