using Vta.Compiler.Graphs;

namespace Vta.Compiler.Passes;

/// <summary>The graph text after one step of a pass pipeline.</summary>
public sealed record PassStep(string PassName, string GraphText);

/// <summary>
/// What passes share while a pipeline runs: string options (pass-specific settings by key), and a step recorder
/// that keeps the graph text after each pass when <see cref="RecordSteps"/> is set and/or prints it to
/// <see cref="PrintAfterEachPass"/> ("print the graph after any pass").
/// </summary>
public sealed class PassContext
{
    private readonly List<PassStep> _steps = [];

    public PassContext(IReadOnlyDictionary<string, string>? options = null, bool recordSteps = false, TextWriter? printAfterEachPass = null,
        bool includeConstantsInText = false)
    {
        Options = options ?? new Dictionary<string, string>();
        RecordSteps = recordSteps;
        PrintAfterEachPass = printAfterEachPass;
        IncludeConstantsInText = includeConstantsInText;
    }

    public IReadOnlyDictionary<string, string> Options { get; }

    public bool RecordSteps { get; }

    public TextWriter? PrintAfterEachPass { get; }

    /// <summary>Whether recorded and printed graph text lists every constant (long for real models) or only their count.</summary>
    public bool IncludeConstantsInText { get; }

    /// <summary>The recorded steps, in order; the first is the pipeline's input when a <see cref="PassManager"/> ran it.</summary>
    public IReadOnlyList<PassStep> Steps => _steps;

    public string GetOption(string key, string defaultValue) => Options.TryGetValue(key, out string? v) ? v : defaultValue;

    /// <summary>Keeps and/or prints the graph text after a step, as configured.</summary>
    public void Record(string passName, Graph graph)
    {
        if (!RecordSteps && PrintAfterEachPass is null)
        {
            return;
        }
        string text = graph.ToText(IncludeConstantsInText);
        if (RecordSteps)
        {
            _steps.Add(new PassStep(passName, text));
        }
        if (PrintAfterEachPass is { } writer)
        {
            writer.WriteLine($"// after {passName}");
            writer.Write(text);
        }
    }
}
