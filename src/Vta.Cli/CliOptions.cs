using System.CommandLine;
using Vta.Compiler.Cpu;
using Vta.Compiler.Models;
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

    /// <summary>--requant auto|vta|exact: where a pre-quantized model's layers requantize (<see cref="RequantMode"/>).</summary>
    public static Option<string> Requant()
    {
        var option = new Option<string>("--requant")
        {
            Description = "Requantization of a pre-quantized model: auto (exact when every layer can take it, the default), vta (on VTA's ALU, "
                + "a few steps from the model's rounding) or exact (VTA sums, the model's own requantization on the host: outputs equal the model's bit for bit)",
            HelpName = "auto|vta|exact",
            DefaultValueFactory = _ => "auto",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } v && v is not ("auto" or "vta" or "exact"))
            {
                r.AddError($"--requant {v}: one of auto, vta or exact");
            }
        });
        return option;
    }

    /// <summary>
    /// The mode for <paramref name="value"/>. A model quantized here (a float model) always requantizes on VTA: its
    /// power-of-two scheme is already exact there, and it is what TVM runs.
    /// </summary>
    public static RequantMode RequantModeOf(string? value, bool quantizedHere) => quantizedHere ? RequantMode.Vta : value switch
    {
        "vta" => RequantMode.Vta,
        "exact" => RequantMode.Exact,
        _ => RequantMode.Auto,
    };

    /// <summary>"exact" or "vta", as printed and written in JSON.</summary>
    public static string Name(this RequantMode mode) => mode == RequantMode.Exact ? "exact" : mode == RequantMode.Vta ? "vta" : "auto";

    /// <summary>A comma-separated list option, trimmed, empty entries dropped.</summary>
    public static IReadOnlyList<string> SplitNames(string? value) =>
        [.. (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static VtaConfig ResolveConfig(ParseResult parse, Option<string?> option) => VtaConfigLoader.Resolve(parse.GetValue(option));
}
