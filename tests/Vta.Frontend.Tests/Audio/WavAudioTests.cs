using System.Buffers.Binary;
using Vta.Frontend.Audio;
using Vta.Frontend.Tests.Images;

namespace Vta.Frontend.Tests.Audio;

public class WavAudioTests
{
    /// <summary>A canonical 44-byte-header PCM WAV built from the RIFF layout.</summary>
    internal static byte[] Wav(int sampleRate, int channels, int bits, short[] interleaved, int? announcedDataBytes = null)
    {
        int dataBytes = interleaved.Length * 2;
        var b = new byte[44 + dataBytes];
        "RIFF"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(b.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(28), sampleRate * channels * bits / 8);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(32), (short)(channels * bits / 8));
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(34), (short)bits);
        "data"u8.CopyTo(b.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(40), announcedDataBytes ?? dataBytes);
        for (int i = 0; i < interleaved.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(44 + 2 * i), interleaved[i]);
        }

        return b;
    }

    [Fact]
    public void Reads_the_marvin_clip_as_one_second_of_16k_mono()
    {
        WavAudio audio = WavAudio.Load(SharedModels.PathOf("mlperf-tiny/marvin_617de221_0.wav"));
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(2, audio.SourceChannels);
        Assert.Equal(16000, audio.Samples.Length);
        Assert.Equal(1.0, audio.Seconds);
        Assert.Equal(-187f, audio.Samples[0]); // 0xFF45 in both channels
        Assert.Equal(29468f, audio.Samples.ToArray().Max());
    }

    [Fact]
    public void Stereo_is_down_mixed_to_the_channel_mean()
    {
        WavAudio audio = WavAudio.Parse(Wav(16000, 2, 16, [100, 300, -32768, 32767, 5, 6]), "st.wav");
        Assert.Equal(new[] { 200f, -0.5f, 5.5f }, audio.Samples.ToArray());
    }

    [Fact]
    public void Skips_unknown_chunks_including_odd_sized_ones()
    {
        byte[] plain = Wav(16000, 1, 16, [7, -7]);
        byte[] list = [.. "LIST"u8, 3, 0, 0, 0, 1, 2, 3, 0]; // 3 bytes + 1 pad byte
        byte[] withList = [.. plain[..36], .. list, .. plain[36..]];
        Assert.Equal(new[] { 7f, -7f }, WavAudio.Parse(withList, "l.wav").Samples.ToArray());
    }

    [Fact]
    public void Bad_files_are_refused_with_the_file_named()
    {
        Assert.Contains("not a WAV", Assert.Throws<WavFormatException>(() => WavAudio.Parse("hello"u8, "a.txt")).Message);
        Assert.Contains("16-bit", Assert.Throws<WavFormatException>(() => WavAudio.Parse(Wav(16000, 1, 8, [0]), "b8.wav")).Message);
        Assert.Contains("truncated", Assert.Throws<WavFormatException>(() => WavAudio.Parse(Wav(16000, 1, 16, [1, 2], announcedDataBytes: 400), "cut.wav")).Message);
        Assert.Contains("no 'data'", Assert.Throws<WavFormatException>(() => WavAudio.Parse(Wav(16000, 1, 16, [1])[..36], "hdr.wav")).Message);

        string missing = Path.Combine(Path.GetTempPath(), $"vta-missing-{Guid.NewGuid():N}.wav");
        var e = Assert.Throws<WavFormatException>(() => WavAudio.Load(missing));
        Assert.StartsWith(missing + ": ", e.Message);
    }

    [Fact]
    public void Other_sample_rates_are_read_but_the_kws_input_refuses_them()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vta-44k-{Guid.NewGuid():N}.wav");
        File.WriteAllBytes(path, Wav(44100, 1, 16, new short[44100]));
        try
        {
            Assert.Equal(44100, WavAudio.Load(path).SampleRate);
            var e = Assert.Throws<WavFormatException>(() => KeywordSpottingInput.FromWav(path));
            Assert.Contains("44100 Hz", e.Message);
            Assert.Contains("resampling is not supported", e.Message);
            Assert.Throws<ArgumentException>(() => Mfcc.Compute(WavAudio.Load(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
