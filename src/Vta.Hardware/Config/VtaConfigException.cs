namespace Vta.Hardware.Config;

/// <summary>A configuration that cannot describe a VTA: names the file (when known), the key and the limit.</summary>
public sealed class VtaConfigException : Exception
{
    public VtaConfigException(string message, string? key = null, string? file = null, Exception? inner = null)
        : base(Compose(message, key, file), inner)
    {
        Key = key;
        File = file;
        Reason = message;
    }

    /// <summary>What is wrong, without the file and key prefix.</summary>
    public string Reason { get; }

    public string? Key { get; }

    public string? File { get; }

    private static string Compose(string message, string? key, string? file)
    {
        string where = file is null ? "" : $"{file}: ";
        string what = key is null ? "" : $"{key}: ";
        return where + what + message;
    }
}
