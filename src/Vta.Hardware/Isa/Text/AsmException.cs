namespace Vta.Hardware.Isa.Text;

/// <summary>Text that is not a valid instruction: names the file (when known), the 1-based line and the offending token.</summary>
public sealed class AsmException : FormatException
{
    public AsmException(string message, int line, string? token = null, string? file = null, Exception? inner = null)
        : base(Compose(message, line, token, file), inner)
    {
        Line = line;
        Token = token;
        File = file;
    }

    public int Line { get; }

    public string? Token { get; }

    public string? File { get; }

    private static string Compose(string message, int line, string? token, string? file)
    {
        string where = file is null ? $"line {line}" : $"{file}:{line}";
        return token is null ? $"{where}: {message}" : $"{where}: '{token}': {message}";
    }
}
