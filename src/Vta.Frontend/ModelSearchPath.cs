namespace Vta.Frontend;

/// <summary>
/// Finds the shared models folder (real models, photos and golden outputs): an explicit option first, then
/// <c>$VTA_MODELS</c>, then <c>./models</c>, then <c>../shared/models</c>, the last two relative to a base folder
/// (the repository root or the current directory). Nothing is downloaded.
/// </summary>
public sealed class ModelSearchPath
{
    public const string EnvironmentVariable = "VTA_MODELS";

    private ModelSearchPath(IReadOnlyList<string> candidates)
    {
        Candidates = candidates;
    }

    /// <summary>The folders tried, in order.</summary>
    public IReadOnlyList<string> Candidates { get; }

    /// <summary>The search path for an optional explicit folder, the environment and a base folder (default: current directory).</summary>
    public static ModelSearchPath Create(string? option = null, string? baseDirectory = null, string? environmentValue = null)
    {
        string root = Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory());
        string? env = environmentValue ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        List<string> candidates = [];
        if (!string.IsNullOrWhiteSpace(option))
        {
            candidates.Add(Path.GetFullPath(option, root));
        }
        if (!string.IsNullOrWhiteSpace(env))
        {
            candidates.Add(Path.GetFullPath(env, root));
        }
        candidates.Add(Path.Combine(root, "models"));
        candidates.Add(Path.GetFullPath(Path.Combine(root, "..", "shared", "models")));
        return new ModelSearchPath(candidates);
    }

    /// <summary>The first candidate folder that exists, or null.</summary>
    public string? FindDirectory() => Candidates.FirstOrDefault(Directory.Exists);

    /// <summary>The first candidate folder that exists; otherwise an exception listing every folder tried.</summary>
    public string RequireDirectory() =>
        FindDirectory() ?? throw new DirectoryNotFoundException(
            $"models folder not found; tried (option, ${EnvironmentVariable}, ./models, ../shared/models): {string.Join(", ", Candidates)}");

    /// <summary>A file inside the models folder (e.g. "imagenet/mobilenet_v2_1.0_224_quant.tflite"), or an exception saying where it looked.</summary>
    public string RequireFile(string relativePath)
    {
        foreach (string dir in Candidates.Where(Directory.Exists))
        {
            string candidate = Path.Combine(dir, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(
            $"'{relativePath}' not found in the models search path: {string.Join(", ", Candidates)}", relativePath);
    }
}
