using Vta.Compiler.Graphs;

namespace Vta.Cli.Commands.Classify;

/// <summary>An independent answer for one input, and where it came from (ONNX Runtime, a golden file, the reference executor).</summary>
internal sealed record ReferenceOutput(string Source, Tensor Output);
