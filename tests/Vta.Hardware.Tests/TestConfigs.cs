using Vta.Hardware.Config;

namespace Vta.Hardware.Tests;

/// <summary>Configurations the ISA tests run at: several blocks, batches and buffer sizes.</summary>
public static class TestConfigs
{
    public static readonly IReadOnlyDictionary<string, VtaConfig> All = new Dictionary<string, VtaConfig>
    {
        ["1x16 default"] = VtaConfig.Default,
        ["1x8"] = VtaConfig.Create(logBlock: 3, logInpBuffSize: 14, logWgtBuffSize: 16, logAccBuffSize: 16),
        ["1x32"] = VtaConfig.Create(logBlock: 5),
        ["2x16"] = VtaConfig.Create(logBatch: 1, logInpBuffSize: 16, logAccBuffSize: 18),
        ["4x16 small"] = VtaConfig.Create(target: "ultra96", logBatch: 2, logUopBuffSize: 14, logInpBuffSize: 15, logWgtBuffSize: 17, logAccBuffSize: 17),
        ["1x64"] = VtaConfig.Create(logBlock: 6, logWgtBuffSize: 20, logInpBuffSize: 16, logAccBuffSize: 18),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }
}
