using System.Buffers.Binary;
using Vta.Hardware.Config;

namespace Vta.Cli.Tests;

/// <summary>Bad input to vta classify: each is one error line naming the file, before anything is compiled where possible.</summary>
public class ClassifyInputTests
{
    [Fact]
    public void AMissingWavIsNamed() =>
        AssertFails(ClassifyTestModels.Kws, dir => dir.File("nothere.wav"), "nothere.wav");

    [Fact]
    public void AnUnsupportedExtensionIsNamed() =>
        AssertFails(ClassifyTestModels.ResNet8, dir => dir.Write("clip.mp3", [1, 2, 3]), "clip.mp3", "unsupported input file type '.mp3'");

    [Fact]
    public void ACorruptWavIsNamed() =>
        AssertFails(ClassifyTestModels.Kws, dir => dir.Write("broken.wav", "RIFF\x10\0\0\0WAVEjunk"u8.ToArray()), "broken.wav");

    [Fact]
    public void ACorruptImageIsNamed() =>
        AssertFails(ClassifyTestModels.ResNet8, dir => dir.Write("broken.png", [.. Enumerable.Range(0, 64).Select(i => (byte)(i * 13))]), "broken.png");

    [Fact]
    public void AWavForAnImageModelIsNamed() =>
        AssertFails(ClassifyTestModels.ResNet8, _ => ClassifyTestModels.PathOf(ClassifyTestModels.Marvin), "marvin_617de221_0.wav", "takes an image");

    [Fact]
    public void AnImageForTheKeywordSpottingModelIsNamed() =>
        AssertFails(ClassifyTestModels.Kws, _ => ClassifyTestModels.PathOf("images/chelsea.png"), "chelsea.png", "takes a WAV clip");

    [Fact]
    public void AClipAtTheWrongSampleRateIsNamed() =>
        AssertFails(ClassifyTestModels.Kws, dir => dir.Write("slow.wav", Wav(8000, 8000)), "slow.wav", "8000 Hz");

    private static void AssertFails(string model, Func<TempDir, string> input, params string[] expected)
    {
        using var dir = new TempDir();
        string line = Cli.AssertError(Cli.Run("classify", "--models", ClassifyTestModels.Folder, "--model", model, "--input", input(dir),
            "--config", dir.Config(VtaConfig.Default)));
        foreach (string part in expected)
        {
            Assert.Contains(part, line, StringComparison.Ordinal);
        }
    }

    /// <summary>A mono 16-bit PCM WAV of a quiet ramp.</summary>
    private static byte[] Wav(int sampleRate, int samples)
    {
        var bytes = new byte[44 + 2 * samples];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), 2 * sampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 16);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), 2 * samples);
        for (int i = 0; i < samples; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(44 + 2 * i), (short)(i % 1000));
        }

        return bytes;
    }
}
