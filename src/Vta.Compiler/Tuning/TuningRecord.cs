using Vta.Compiler.Tiling;

namespace Vta.Compiler.Tuning;

/// <summary>
/// The tuned tiling of one workload key, with what it was measured against: its cycles, the default policy's tiling
/// and cycles, how many candidates were timed out of how many fit. <see cref="Workload"/> and <see cref="Layers"/> are
/// for people; only <see cref="Key"/> is matched.
/// </summary>
public sealed record TuningRecord(
    string Key,
    string Workload,
    IReadOnlyList<string> Layers,
    int Count,
    ConvTiling Tiling,
    long Cycles,
    ConvTiling DefaultTiling,
    long DefaultCycles,
    int Candidates,
    int SpaceSize);
