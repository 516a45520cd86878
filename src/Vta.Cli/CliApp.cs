using System.CommandLine;
using System.CommandLine.Parsing;
using Vta.Cli.Commands;
using Vta.Compiler;
using Vta.Hardware.Config;
using Vta.Hardware.Isa;
using Vta.Runtime;
using Vta.Sim;

namespace Vta.Cli;

/// <summary>The vta command: parses, runs one command, and turns user errors into one line on stderr.</summary>
public static class CliApp
{
    public const int ExitOk = 0;

    /// <summary>"vta VERSION" as written into packages and reports.</summary>
    public static string ToolVersion { get; } = "vta " + (typeof(CliApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    public const int ExitError = 1;
    public const int ExitUsage = 2;

    /// <summary>Runs the command line in-process: 0 on success, 1 for an error in the input, 2 for a usage error.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var context = new CliContext(stdout, stderr);
        RootCommand root = BuildRoot(context);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            string errors = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')));
            stderr.WriteLine($"vta: error: {OneLine(errors)} (see '{CommandPath(parse)} --help')");
            return ExitUsage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsUserError(e))
        {
            stderr.WriteLine($"vta: error: {OneLine(e.Message)}");
            return ExitError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("VTA_DEBUG") is null or "" or "0")
        {
            // A bug, not bad input: still one line, with the way to see more.
            stderr.WriteLine($"vta: internal error: {e.GetType().Name}: {OneLine(e.Message)} (set VTA_DEBUG=1 for the stack trace)");
            return ExitError;
        }
    }

    internal static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("vta: a toolchain and simulator for the Versatile Tensor Accelerator");
        var config = new Command("config", "Hardware configuration");
        config.Subcommands.Add(ConfigShowCommand.Create(context));
        root.Subcommands.Add(config);
        root.Subcommands.Add(DisasmCommand.Create(context));
        root.Subcommands.Add(AsmCommand.Create(context));
        var sim = new Command("sim", "Behavioral simulator");
        sim.Subcommands.Add(SimRunCommand.Create(context));
        root.Subcommands.Add(sim);
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(ClassifyCommand.Create(context));
        root.Subcommands.Add(AccuracyCommand.Create(context));
        root.Subcommands.Add(OpCommand.Create(context));
        root.Subcommands.Add(RpcServerCommand.Create(context));
        root.Subcommands.Add(TrackerCommand.Create(context));
        root.Subcommands.Add(ProgramCommand.Create(context));
        root.Subcommands.Add(BitstreamCommand.Create(context));
        root.Subcommands.Add(SweepCommand.Create(context));
        root.Subcommands.Add(CompileCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(ZooCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(TuneCommand.Create(context));
        return root;
    }

    private static bool IsUserError(Exception e) => e is VtaConfigException or IsaException or VtaSimException or DramException
        or VtaRuntimeException or VtaCompileException or IOException or InvalidDataException or FormatException or UnauthorizedAccessException
        or Vta.Frontend.ModelFormatException or Vta.Frontend.Npz.NpyFormatException or Vta.Compiler.Graphs.GraphException
        or Vta.Compiler.Packages.PackageFormatException or Vta.Compiler.Programs.ProgramFormatException;

    private static string OneLine(string message) => string.Join(' ', message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>"vta sim run" for the command the parser got to (the root's own name is the host process's).</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult { Parent: not null } c; r = c.Parent)
        {
            names.Insert(0, c.Command.Name);
        }

        return string.Join(' ', ["vta", .. names]);
    }
}
