namespace Vta.Frontend.Audio;

/// <summary>A WAV file that is missing, malformed, truncated or of an unsupported kind; names the file.</summary>
public sealed class WavFormatException : Exception
{
    public WavFormatException(string fileName, string reason, Exception? inner = null)
        : base($"{fileName}: {reason}", inner)
    {
        FileName = fileName;
        Reason = reason;
    }

    public string FileName { get; }

    public string Reason { get; }
}
