using Vta.Compiler.Graphs;

namespace Vta.Cli.Commands.Classify;

/// <summary>
/// The golden input/output pairs in the models folder (golden/README.md: made with ArmNN's reference backend, so ±1 LSB
/// from other int8 kernels is possible). A pair is the reference for a TFLite model only when the model's file name
/// is the one the README names and our preprocessed input equals the golden input byte for byte.
/// </summary>
internal static class GoldenVectors
{
    /// <summary>The pairs golden/README.md documents: model file name, and the pair's path without the .in/.out suffixes.</summary>
    private static readonly (string Model, string Pair, string Extension)[] s_pairs =
    [
        ("mobilenet_v2_1.0_224_quant.tflite", "golden/mnv2q_resized_cat", "u8"),
        ("pretrainedResnet_quant.tflite", "golden/ic_resnet8_chelsea32", "s8"),
    ];

    public static ReferenceOutput? Find(string modelPath, Tensor input, TensorType outputType, ModelFiles files)
    {
        string name = Path.GetFileName(modelPath);
        foreach (var (model, pair, ext) in s_pairs.Where(p => p.Model.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            string? inPath = files.TryLocate($"{pair}.in.{ext}"), outPath = files.TryLocate($"{pair}.out.{ext}");
            if (inPath is null || outPath is null || !SameValues(File.ReadAllBytes(inPath), ext, input))
            {
                continue;
            }

            byte[] output = File.ReadAllBytes(outPath);
            int expected = outputType.Shape.ElementCount * outputType.DType.ByteSize();
            if (output.Length != expected)
            {
                throw new InvalidDataException($"{outPath}: {output.Length} bytes, the output {outputType} of {name} has {expected}");
            }

            return new ReferenceOutput($"golden {Path.GetFileName(pair)} (ArmNN)", Tensor.FromBytes(outputType, output));
        }

        return null;
    }

    /// <summary>Whether the golden input bytes (uint8 or int8 by <paramref name="ext"/>) are the values of <paramref name="input"/>.</summary>
    private static bool SameValues(byte[] golden, string ext, Tensor input)
    {
        if (!input.DType.IsInteger() || input.Length != golden.Length)
        {
            return false;
        }

        int[] values = input.ToInt32Values();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != (ext == "s8" ? (sbyte)golden[i] : golden[i]))
            {
                return false;
            }
        }

        return true;
    }
}
