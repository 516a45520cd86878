using Vta.Compiler;
using Vta.Compiler.Graphs;
using Vta.Frontend;
using Vta.Frontend.Audio;
using Vta.Frontend.Images;

namespace Vta.Cli.Commands.Classify;

/// <summary>Which failures are the user's input (a model, photo, clip or label file), each already naming its file or node.</summary>
internal static class ClassifyErrors
{
    public static bool IsInputError(Exception e) => e is ModelFormatException or ImageFormatException or WavFormatException or GraphException
        or VtaCompileException or IOException or InvalidDataException or FormatException or UnauthorizedAccessException;

    /// <summary>Runs <paramref name="action"/>, turning frontend and graph errors into ones the CLI prints as one line.</summary>
    public static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ModelFormatException or ImageFormatException or WavFormatException or GraphException)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
