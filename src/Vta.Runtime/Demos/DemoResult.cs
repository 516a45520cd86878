using Vta.Sim;

namespace Vta.Runtime.Demos;

/// <summary>What a tutorial kernel reports: its counters, the bit-exact check, and TVM's published counters beside them.</summary>
public sealed record DemoResult(
    string Name,
    string ConfigName,
    SimCounters Counters,
    bool Passed,
    int Mismatches,
    double Seconds,
    SimCounters? Tvm,
    IReadOnlyDictionary<string, string> Tiling);

/// <summary>TVM's published simulator counters for its tutorials (default 1x16 configuration).</summary>
public static class TvmPublished
{
    public static SimCounters MatrixMultiply => new()
    {
        InpLoadNbytes = 4_096, WgtLoadNbytes = 1_048_576, AccLoadNbytes = 0, UopLoadNbytes = 20,
        OutStoreNbytes = 1_024, GemmCounter = 4_096, AluCounter = 192,
    };

    /// <summary>deploy_classification, resnet18_v1 on the default 1x16 configuration (its dense layer stays on the CPU).</summary>
    public static SimCounters ResNet18 => new()
    {
        InpLoadNbytes = 5_549_568, WgtLoadNbytes = 12_763_136, AccLoadNbytes = 6_051_840, UopLoadNbytes = 22_864,
        OutStoreNbytes = 2_433_536, GemmCounter = 6_623_232, AluCounter = 699_328,
    };

    public static SimCounters Convolution => new()
    {
        InpLoadNbytes = 114_688, WgtLoadNbytes = 1_179_648, AccLoadNbytes = 0, UopLoadNbytes = 1_144,
        OutStoreNbytes = 50_176, GemmCounter = 451_584, AluCounter = 9_408,
    };
}
