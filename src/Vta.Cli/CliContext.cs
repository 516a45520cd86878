using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Vta.Cli;

/// <summary>Where a command writes: stdout for data (tables or JSON only), stderr for diagnostics.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private IAnsiConsole? _console;

    public TextWriter Out { get; } = stdout;

    public TextWriter Err { get; } = stderr;

    /// <summary>A Spectre console over <see cref="Out"/>: colours only on a real terminal, wide tables when redirected.</summary>
    public IAnsiConsole Console => _console ??= CreateConsole(Out);

    public void WriteJson(JsonNode node)
    {
        Out.Write(node.ToJsonString(s_json));
        Out.Write('\n');
    }

    private static IAnsiConsole CreateConsole(TextWriter writer)
    {
        bool terminal = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
