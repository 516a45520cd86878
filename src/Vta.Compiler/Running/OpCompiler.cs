using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Ops.Conv2dTranspose;
using Vta.Compiler.Ops.Dense;
using Vta.Compiler.Ops.Elementwise;
using Vta.Compiler.Tiling;
using Vta.Compiler.Workloads;
using Vta.Hardware.Config;

namespace Vta.Compiler.Running;

/// <summary>Compiles a workload for a configuration: validation, lowering, tiling and kernel folding, nothing run yet.</summary>
public static class OpCompiler
{
    public static CompiledOp Compile(Workload workload, VtaConfig config, ITilingPolicy? policy = null)
    {
        var w = workload.ForConfig(config);
        return w switch
        {
            Conv2dWorkload c => new ConvOp(w, ConvPlan.Compile(Conv2dOp.Lower(c, config), config, policy)),
            DenseWorkload d => new ConvOp(w, ConvPlan.Compile(DenseOp.Lower(d, config), config, policy)),
            Conv2dTransposeWorkload t => new ConvOp(w, ConvPlan.Compile(Conv2dTransposeOp.Lower(t, config), config, policy)),
            ElementwiseWorkload e => new ElementwiseOpRun(e, ElementwisePlan.Compile(e, config)),
            _ => throw new NotSupportedException($"no compiler for {w.GetType().Name}"),
        };
    }
}
