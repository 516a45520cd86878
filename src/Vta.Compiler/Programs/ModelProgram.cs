using System.Text.Json.Serialization;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Hardware.Config;

namespace Vta.Compiler.Programs;

/// <summary>
/// A compiled model as a static program: one DRAM arena per run, laid out [constants | micro-ops | instructions |
/// activations], with every VTA instruction addressing the arena as if it started at 0 (relocated when bound to a
/// device), and the host steps that feed and read it. This is what a package stores and what every run executes.
/// </summary>
public sealed class ModelProgram
{
    public ModelProgram(VtaConfig config, byte[] image, long arenaBytes, int alignment, IReadOnlyList<ProgramStep> steps)
    {
        if (image.LongLength > arenaBytes)
        {
            throw new ArgumentException($"image of {image.LongLength} bytes exceeds the {arenaBytes}-byte arena", nameof(image));
        }

        Config = config;
        Image = image;
        ArenaBytes = arenaBytes;
        Alignment = alignment;
        Steps = steps;
    }

    public VtaConfig Config { get; }

    /// <summary>The arena's initial bytes: packed weights, biases, shifts, micro-ops and instructions (base 0).</summary>
    public byte[] Image { get; }

    /// <summary>Image plus activations: the device memory one bound program needs.</summary>
    public long ArenaBytes { get; }

    /// <summary>The arena's base must be a multiple of this (every element size divides it).</summary>
    public int Alignment { get; }

    public IReadOnlyList<ProgramStep> Steps { get; }

    public long ActivationBytes => ArenaBytes - Image.LongLength;

    public int InstructionCount => Steps.OfType<VtaProgramStep>().Sum(s => s.Chunks.Sum(c => c.Count));
}

/// <summary>Instructions at <see cref="Offset"/> of the arena, run with one device call.</summary>
public sealed record ProgramChunk(long Offset, int Count);

/// <summary>One step of a program.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "step")]
[JsonDerivedType(typeof(CpuProgramStep), "cpu")]
[JsonDerivedType(typeof(PackProgramStep), "pack")]
[JsonDerivedType(typeof(PadProgramStep), "pad")]
[JsonDerivedType(typeof(UnpackProgramStep), "unpack")]
[JsonDerivedType(typeof(VtaProgramStep), "vta")]
[JsonDerivedType(typeof(WidenProgramStep), "widen")]
public abstract record ProgramStep(string Name)
{
    [JsonIgnore]
    public abstract ExecutionTarget Target { get; }
}

/// <summary>A graph node run on the CPU.</summary>
public sealed record CpuProgramStep(string Node) : ProgramStep(Node)
{
    public override ExecutionTarget Target => ExecutionTarget.Cpu;
}

/// <summary>A host value packed into the arena at <see cref="Offset"/>.</summary>
public sealed record PackProgramStep(string Name, string Value, PackedShape Shape, DataLayout Layout, long Offset) : ProgramStep(Name)
{
    public override ExecutionTarget Target => ExecutionTarget.Cpu;
}

/// <summary>A packed value spatially padded by the host with a zero point VTA's loads cannot insert.</summary>
public sealed record PadProgramStep(string Name, long Source, PackedShape Shape, Pads2d Pads, sbyte Value, long Offset) : ProgramStep(Name)
{
    public override ExecutionTarget Target => ExecutionTarget.Cpu;
}

/// <summary>
/// A packed int8 value at <see cref="Source"/> sign-extended to int32 at <see cref="Offset"/>: the same blocked layout with
/// ACC elements, which is what a conv's fused shortcut loads into the accumulator (VTA cannot load int8 into the ACC).
/// </summary>
public sealed record WidenProgramStep(string Name, long Source, PackedShape Shape, long Offset) : ProgramStep(Name)
{
    public override ExecutionTarget Target => ExecutionTarget.Cpu;
}

/// <summary>A packed value read back from the arena into a host value in the graph's layout.</summary>
public sealed record UnpackProgramStep(string Name, string Value, PackedShape Shape, DataLayout Layout, long Offset) : ProgramStep(Name)
{
    public override ExecutionTarget Target => ExecutionTarget.Cpu;
}

/// <summary>
/// A VTA layer: its instruction chunks, and where its packed output lands (for per-layer checks and reports). An exact
/// layer (<see cref="Planes"/> &gt; 1) stores its int32 sums as byte planes at <see cref="PlanesOffset"/>, and the host
/// then writes the requantized output at <see cref="OutputOffset"/> (the node's own requantization, from the graph).
/// Each plane has the shape <see cref="PlanesShape"/>, or <see cref="OutputShape"/> when null (it has one more channel
/// when the layer carries an input-sum channel).
/// </summary>
public sealed record VtaProgramStep(string Node, string Kind, IReadOnlyList<ProgramChunk> Chunks, string Output, PackedShape OutputShape,
    DataLayout Layout, long OutputOffset, VtaLayerSummary Summary, int Planes = 1, long PlanesOffset = -1, PackedShape? PlanesShape = null)
    : ProgramStep(Node)
{
    public override ExecutionTarget Target => ExecutionTarget.Vta;
}

/// <summary>What a report says about a VTA layer without its compiled plan.</summary>
public sealed record VtaLayerSummary(string Workload, string Tiling, long Macs);
