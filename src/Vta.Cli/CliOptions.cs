using System.CommandLine;
using Vta.Hardware.Config;

namespace Vta.Cli;

/// <summary>Options several commands share.</summary>
internal static class CliOptions
{
    public static Option<string?> Config() => new("--config")
    {
        Description = "vta_config.json to use (default: $VTA_CONFIG, then hw-config/vta_config.json here or above, then the Pynq defaults)",
        HelpName = "FILE",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON (nothing else) on stdout" };

    public static VtaConfig ResolveConfig(ParseResult parse, Option<string?> option) => VtaConfigLoader.Resolve(parse.GetValue(option));
}
