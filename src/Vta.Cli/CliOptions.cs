using System.CommandLine;
using Vta.Compiler.Cpu;
using Vta.Compiler.Reports;
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

    public static Option<string> CpuBackend()
    {
        var option = new Option<string>("--cpu-backend")
        {
            Description = "Kernels of the layers VTA does not run: llvm (JIT-compiled, the default; falls back to managed if libLLVM cannot be loaded) or managed",
            HelpName = "llvm|managed",
            DefaultValueFactory = _ => CpuBackends.LlvmName,
        };
        option.AcceptOnlyFromAmong([.. CpuBackends.Names]);
        return option;
    }

    /// <summary>--report FILE of a model run, its format checked before anything runs.</summary>
    public static Option<string?> RunReport()
    {
        var option = new Option<string?>("--report") { Description = "Write a report of the run: .html (self-contained) or .md (figures beside it)", HelpName = "FILE" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } path && !RunReportWriter.Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            {
                r.AddError($"--report {path}: a report is written as .html or .md");
            }
        });
        return option;
    }

    /// <summary>A comma-separated list option, trimmed, empty entries dropped.</summary>
    public static IReadOnlyList<string> SplitNames(string? value) =>
        [.. (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static VtaConfig ResolveConfig(ParseResult parse, Option<string?> option) => VtaConfigLoader.Resolve(parse.GetValue(option));
}
