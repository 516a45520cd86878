namespace Vta.Compiler;

/// <summary>
/// A layer the compiler cannot lower at this configuration (unsupported shape or parameter, a field that would
/// overflow, buffers too small). Always thrown while compiling, before any instruction reaches a device.
/// </summary>
public sealed class VtaCompileException(string layer, string reason) : Exception($"{layer}: {reason}")
{
    /// <summary>The layer (workload name or spec) that was refused.</summary>
    public string Layer { get; } = layer;

    /// <summary>Why, without the layer name.</summary>
    public string Reason { get; } = reason;
}
