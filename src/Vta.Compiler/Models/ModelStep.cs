using Vta.Compiler.Graphs;

namespace Vta.Compiler.Models;

/// <summary>One step of a compiled model, run in order by <see cref="CompiledModel.Run"/>.</summary>
public abstract record ModelStep
{
    /// <summary>The name in per-layer records: the node's, or the consumer's with "/pack" or "/unpack".</summary>
    public abstract string Name { get; }

    public abstract ExecutionTarget Target { get; }
}

/// <summary>A node on the CPU with the reference kernels (graph layout, plain tensors).</summary>
public sealed record CpuStep(Node Node) : ModelStep
{
    public override string Name => Node.Name;

    public override ExecutionTarget Target => ExecutionTarget.Cpu;
}

/// <summary>A node on VTA: reads and writes packed values in device memory.</summary>
public sealed record VtaStep(VtaLayer Layer) : ModelStep
{
    public override string Name => Layer.Node.Name;

    public override ExecutionTarget Target => ExecutionTarget.Vta;
}

/// <summary>Host value → packed (NCHW{n}n{c}c, channels padded to the block), before the VTA node that first reads it.</summary>
public sealed record PackStep(string Value, PackedShape Shape, DataLayout Layout, string Consumer) : ModelStep
{
    public override string Name => Consumer + "/pack";

    public override ExecutionTarget Target => ExecutionTarget.Cpu;
}

/// <summary>
/// Packed VTA output → host value in the graph's layout (padding dropped), before the first CPU reader (its input
/// <see cref="Input"/>) or, with consumer "output", for a graph output.
/// </summary>
public sealed record UnpackStep(string Value, PackedShape Shape, DataLayout Layout, string Consumer, int Input = 0) : ModelStep
{
    public override string Name => Consumer + "/unpack" + (Input == 0 ? string.Empty : Input.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override ExecutionTarget Target => ExecutionTarget.Cpu;
}
