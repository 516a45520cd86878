namespace Vta.Frontend.Npz;

/// <summary>A .npy or .npz file that cannot be read as NumPy wrote it, or holds something unsupported; names the file.</summary>
public sealed class NpyFormatException : Exception
{
    public NpyFormatException(string fileName, string reason, Exception? inner = null)
        : base($"{fileName}: {reason}", inner)
    {
        FileName = fileName;
        Reason = reason;
    }

    public string FileName { get; }

    public string Reason { get; }
}
