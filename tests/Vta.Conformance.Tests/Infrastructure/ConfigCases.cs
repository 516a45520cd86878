using Vta.Hardware.Config;
using Vta.Sim;

namespace Vta.Conformance.Tests.Infrastructure;

/// <summary>
/// The configurations every conformance case runs at, named by TVM's BITSTREAM string so a failing case names its
/// configuration. Shapes in the tests are expressed in tiles, so they scale with BATCH and BLOCK. Every TVM shape fits
/// all four configurations without scaling down (the largest SRAM users: 128 ACC tiles for the vector ALU test; at 2x16
/// the blocked GEMM's 32×4-tile INP blocks, twice with two virtual threads, in a 1024-deep INP buffer).
/// </summary>
public static class ConfigCases
{
    private static readonly VtaConfig[] s_configs =
    [
        VtaConfig.Default,                                 // 1x16_i8w8a32_15_15_18_17 (Pynq)
        VtaConfig.Create(logBlock: 5),                     // 1x32: 1 KiB weight tiles, 256-deep WGT buffer
        VtaConfig.Create(logBatch: 1),                     // 2x16: two rows per INP/ACC/OUT tile
        VtaConfig.Create(logBlock: 3, logInpBuffSize: 14, logWgtBuffSize: 16, logAccBuffSize: 16), // 1x8, smaller SRAMs
    ];

    private static readonly Dictionary<string, VtaConfig> s_byName = s_configs.ToDictionary(c => c.Name);

    public static IEnumerable<string> Names => s_configs.Select(c => c.Name);

    public static IReadOnlyList<OutSemantics> AllSemantics { get; } = [OutSemantics.Fsim, OutSemantics.Hardware];

    public static VtaConfig Get(string name) => s_byName[name];

    /// <summary>Every configuration.</summary>
    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        foreach (string name in Names)
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>Every configuration under both OUT-buffer semantics.</summary>
    public static TheoryData<string, OutSemantics> ConfigsAndSemantics()
    {
        var data = new TheoryData<string, OutSemantics>();
        foreach (string name in Names)
        {
            foreach (OutSemantics semantics in AllSemantics)
            {
                data.Add(name, semantics);
            }
        }

        return data;
    }
}
