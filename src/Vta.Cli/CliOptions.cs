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

    public static Option<string> CpuBackend() => new("--cpu-backend")
    {
        Description = "Kernels of the layers VTA does not run: llvm (JIT-compiled, the default; falls back to managed if libLLVM cannot be loaded) or managed",
        HelpName = "llvm|managed",
        DefaultValueFactory = _ => "llvm",
    };

    /// <summary>A comma-separated list option, trimmed, empty entries dropped.</summary>
    public static IReadOnlyList<string> SplitNames(string? value) =>
        [.. (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static VtaConfig ResolveConfig(ParseResult parse, Option<string?> option) => VtaConfigLoader.Resolve(parse.GetValue(option));
}
