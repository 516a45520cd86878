using Vta.Compiler.ModelZoo;
using Vta.Frontend;

namespace Vta.Cli.Commands.Classify;

/// <summary>Finds models, inputs and labels: an existing path as given, else the same relative path in a models folder.</summary>
internal sealed class ModelFiles
{
    private readonly IReadOnlyList<string> _folders;

    /// <summary>The search path from the current folder, then from the folder above the tool's build folder (the repository for ./vta).</summary>
    public ModelFiles(string? option)
    {
        string tool = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)) ?? AppContext.BaseDirectory;
        _folders = [.. new[] { ModelSearchPath.Create(option), ModelSearchPath.Create(option, tool) }.SelectMany(s => s.Candidates).Distinct()];
    }

    /// <summary>The first models folder that exists, or an exception listing the folders tried.</summary>
    public string RequireFolder() => _folders.FirstOrDefault(Directory.Exists)
        ?? throw new DirectoryNotFoundException($"models folder not found; tried {string.Join(", ", _folders)} (set --models or ${ModelSearchPath.EnvironmentVariable})");

    /// <summary>A model argument: zoo:NAME as it is, a file as given or in the models folders.</summary>
    public string LocateModel(string model) => Zoo.IsZooName(model) ? model : Locate(model, "model");

    public string Locate(string path, string what) =>
        TryLocate(path) ?? throw new FileNotFoundException($"{what} '{path}' not found (as given, nor in the models folders {string.Join(", ", _folders)})", path);

    public string? TryLocate(string path)
    {
        if (File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        if (Path.IsPathRooted(path))
        {
            return null;
        }

        return _folders.Where(Directory.Exists).Select(d => Path.Combine(d, path)).FirstOrDefault(File.Exists);
    }
}
