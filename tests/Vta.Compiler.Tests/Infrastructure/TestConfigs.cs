using Vta.Hardware.Config;

namespace Vta.Compiler.Tests.Infrastructure;

/// <summary>The four configurations of the conformance matrix (issue 4): the Pynq default, 1x8, 1x32 and 2x16.</summary>
public static class TestConfigs
{
    public static readonly string[] Names = ["default", "1x8", "1x32", "2x16"];

    public static VtaConfig Get(string name) => name switch
    {
        "1x8" => VtaConfig.Create(logBlock: 3, logInpBuffSize: 14, logWgtBuffSize: 16, logAccBuffSize: 16),
        "1x32" => VtaConfig.Create(logBlock: 5),
        "2x16" => VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18),
        "default" => VtaConfig.Default,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown test configuration"),
    };

    /// <summary>The largest BATCH among the test configurations: references are computed once at this batch.</summary>
    public const int MaxBatch = 2;
}
