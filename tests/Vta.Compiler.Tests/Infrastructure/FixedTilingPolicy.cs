using Vta.Compiler.Ops;
using Vta.Compiler.Ops.Conv2d;
using Vta.Compiler.Tiling;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tests.Infrastructure;

/// <summary>A policy that always answers the same tiling: drives the emitter down paths the default policy would not pick.</summary>
public sealed class FixedTilingPolicy(ConvTiling tiling) : ITilingPolicy
{
    public ConvTiling Choose(ConvProblem problem, Epilogue epilogue, VtaConfig config) => tiling;
}
