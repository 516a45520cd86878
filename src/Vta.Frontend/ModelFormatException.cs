namespace Vta.Frontend;

/// <summary>A model file is missing, truncated, corrupt or uses something the importer does not support. The message names the file.</summary>
public class ModelFormatException : Exception
{
    public ModelFormatException()
    {
    }

    public ModelFormatException(string message)
        : base(message)
    {
    }

    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelFormatException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The model file (or the name given to in-memory bytes).</summary>
    public string? Path { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string? Problem { get; }
}
