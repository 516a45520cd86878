namespace Vta.Cli.Commands.Classify;

/// <summary>
/// What <c>vta accuracy</c> runs: every .onnx and .tflite model in the models folder, plus <see cref="ExtraModels"/>,
/// each on every input file of the kind its input takes (photos for image models, WAV clips for keyword spotting).
/// </summary>
internal static class AccuracyCatalog
{
    public static readonly string[] ModelExtensions = [".onnx", ".tflite"];

    /// <summary>
    /// Models that are not files in the models folder but belong in the report: zoo:NAME models, or files elsewhere.
    /// Empty: zoo:resnet18 is quantized and classified by 'vta classify', but its weights are synthetic and its logits
    /// nearly flat, so the quantized top-1 against the float one says nothing about accuracy (it differs on cat.bmp).
    /// </summary>
    public static readonly string[] ExtraModels = [];

    /// <summary>The models, relative to <paramref name="folder"/> where they are in it, sorted.</summary>
    public static IReadOnlyList<string> Models(string folder) =>
        [.. FilesWith(folder, ModelExtensions), .. ExtraModels];

    /// <summary>Every photo and WAV clip in <paramref name="folder"/>, relative to it, sorted.</summary>
    public static IReadOnlyList<string> Inputs(string folder) =>
        FilesWith(folder, [.. ModelInput.ImageExtensions, .. ModelInput.AudioExtensions]);

    private static List<string> FilesWith(string folder, string[] extensions) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
}
