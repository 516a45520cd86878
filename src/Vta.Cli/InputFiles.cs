namespace Vta.Cli;

/// <summary>Reads the files a command is given, with messages that name the file.</summary>
internal static class InputFiles
{
    public static byte[] ReadBytes(string path)
    {
        Check(path);
        return File.ReadAllBytes(path);
    }

    /// <summary>UTF-8 text (a byte-order mark is dropped).</summary>
    public static string ReadText(string path)
    {
        Check(path);
        return File.ReadAllText(path);
    }

    private static void Check(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"{path}: is a folder, not a file");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
    }
}
