using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

/// <summary>Runs the vta command in-process and captures what it prints.</summary>
internal static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts exit 1 with exactly one "vta: error:" line on stderr and nothing on stdout; returns the line.</summary>
    public static string AssertError((int Code, string Out, string Err) result, int code = 1)
    {
        Assert.Equal(code, result.Code);
        Assert.Equal("", result.Out);
        string[] lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string line = Assert.Single(lines);
        Assert.StartsWith("vta: error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        return line;
    }
}

/// <summary>A scratch folder per test, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vta-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        string p = File(name);
        System.IO.File.WriteAllBytes(p, bytes);
        return p;
    }

    public string Write(string name, string text)
    {
        string p = File(name);
        System.IO.File.WriteAllText(p, text);
        return p;
    }

    /// <summary>A vta_config.json for <paramref name="config"/>, so tests never depend on the folder they run in.</summary>
    public string Config(VtaConfig config, string name = "vta_config.json") => Write(name, VtaConfigLoader.ToJson(config));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
