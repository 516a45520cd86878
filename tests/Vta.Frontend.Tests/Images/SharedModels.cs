using System.Reflection;

namespace Vta.Frontend.Tests.Images;

/// <summary>Finds ../shared/models (or $VTA_MODELS) from the RepoRoot the test assembly was built with.</summary>
internal static class SharedModels
{
    private static readonly Lazy<string> s_root = new(Find);

    public static string Root => s_root.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        string? env = Environment.GetEnvironmentVariable("VTA_MODELS");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        string repoRoot = typeof(SharedModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepoRoot").Value!;
        string shared = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "models"));
        if (!Directory.Exists(shared))
        {
            throw new DirectoryNotFoundException($"models folder not found: set VTA_MODELS or provide {shared}");
        }

        return shared;
    }
}
