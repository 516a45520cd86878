using Grpc.Core;

namespace Vta.Rpc.Agent;

/// <summary>Checks names clients give to files the agent writes, so that none can leave the work directory.</summary>
public static class SafeName
{
    public const int MaxLength = 128;

    /// <summary>The full path of <paramref name="name"/> inside <paramref name="directory"/>, or a refusal.</summary>
    public static string Resolve(string directory, string name)
    {
        string? problem = name switch
        {
            "" => "is empty",
            { Length: > MaxLength } => $"is longer than {MaxLength} characters",
            "." or ".." => "is a directory reference",
            _ when name.Contains("..", StringComparison.Ordinal) => "contains '..'",
            _ when name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) => "contains a path separator",
            _ when Path.IsPathRooted(name) => "is an absolute path",
            _ when name[0] == '.' => "starts with '.' (hidden files are not written)",
            _ when !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') => "may only hold letters, digits, '.', '_' and '-'",
            _ => null,
        };
        if (problem is not null)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "name", $"refused file name '{name}': it {problem}");
        }

        string root = Path.GetFullPath(directory);
        string full = Path.GetFullPath(Path.Combine(root, name));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new RpcFault(StatusCode.InvalidArgument, "name", $"refused file name '{name}': it resolves outside the work directory");
        }

        return full;
    }
}
