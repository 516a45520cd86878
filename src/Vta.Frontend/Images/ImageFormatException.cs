namespace Vta.Frontend.Images;

/// <summary>An image file that is missing, unreadable, not PNG/JPEG/BMP, or truncated; always names the file.</summary>
public sealed class ImageFormatException : Exception
{
    public ImageFormatException(string fileName, string reason, Exception? inner = null)
        : base($"{fileName}: {reason}", inner)
    {
        FileName = fileName;
        Reason = reason;
    }

    public string FileName { get; }

    public string Reason { get; }
}
