using System.Buffers.Binary;

namespace Vta.Frontend.Audio;

/// <summary>
/// Mono audio from a 16-bit PCM WAV file, samples as floats in int16 units (−32768..32767).
/// Stereo (or more channels) is down-mixed to the mean of the channels: that is the usual mono conversion
/// (sox, librosa), it keeps whatever is in either channel, and for the common case of a mono clip stored
/// twice (as marvin_617de221_0.wav is) it equals the first channel exactly.
/// </summary>
public sealed class WavAudio
{
    private readonly float[] _samples;

    public WavAudio(int sampleRate, int sourceChannels, float[] samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentNullException.ThrowIfNull(samples);
        SampleRate = sampleRate;
        SourceChannels = sourceChannels;
        _samples = samples;
    }

    public int SampleRate { get; }

    /// <summary>How many channels the file had before the down-mix.</summary>
    public int SourceChannels { get; }

    public ReadOnlySpan<float> Samples => _samples;

    public double Seconds => (double)_samples.Length / SampleRate;

    public static WavAudio Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WavFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "audio file not found" : e.Message, e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses RIFF/WAVE bytes; unknown chunks (LIST, fact, ...) are skipped.</summary>
    public static WavAudio Parse(ReadOnlySpan<byte> bytes, string sourceName)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            throw new WavFormatException(sourceName, "not a WAV file (no RIFF/WAVE header)");
        }

        int channels = 0, sampleRate = 0, bits = 0;
        bool haveFormat = false;
        int pos = 12;
        while (pos + 8 <= bytes.Length)
        {
            ReadOnlySpan<byte> id = bytes.Slice(pos, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(pos + 4)..]);
            int body = pos + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + size > bytes.Length)
                {
                    throw new WavFormatException(sourceName, "truncated or short 'fmt ' chunk");
                }

                (channels, sampleRate, bits) = ReadFormat(bytes.Slice(body, (int)size), sourceName);
                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    throw new WavFormatException(sourceName, "'data' chunk comes before the 'fmt ' chunk");
                }

                if (body + size > bytes.Length)
                {
                    throw new WavFormatException(sourceName, $"truncated: the data chunk announces {size} bytes, {bytes.Length - body} present");
                }

                return new WavAudio(sampleRate, channels, DownMix(bytes.Slice(body, (int)size), channels, sourceName));
            }

            pos = body + (int)Math.Min(size + (size & 1), int.MaxValue - body); // chunks are padded to even length
        }

        throw new WavFormatException(sourceName, haveFormat ? "no 'data' chunk (truncated?)" : "no 'fmt ' chunk (truncated?)");
    }

    private static (int Channels, int SampleRate, int Bits) ReadFormat(ReadOnlySpan<byte> fmt, string sourceName)
    {
        const ushort Pcm = 1, Extensible = 0xFFFE;
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        int sampleRate = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]), int.MaxValue);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        // WAVE_FORMAT_EXTENSIBLE carries the real format in the first two bytes of its sub-format GUID.
        if (tag == Extensible && fmt.Length >= 26)
        {
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }

        if (tag != Pcm)
        {
            throw new WavFormatException(sourceName, $"unsupported WAV encoding (format tag {tag}); only integer PCM is read");
        }

        if (bits != 16)
        {
            throw new WavFormatException(sourceName, $"unsupported sample size {bits} bits; only 16-bit PCM is read (convert with: sox in.wav -b 16 out.wav)");
        }

        if (channels < 1 || sampleRate < 1)
        {
            throw new WavFormatException(sourceName, $"invalid format: {channels} channels at {sampleRate} Hz");
        }

        return (channels, sampleRate, bits);
    }

    private static float[] DownMix(ReadOnlySpan<byte> data, int channels, string sourceName)
    {
        int frameBytes = 2 * channels;
        if (data.Length % frameBytes != 0)
        {
            throw new WavFormatException(sourceName, $"data chunk of {data.Length} bytes is not a whole number of {channels}-channel 16-bit frames");
        }

        var samples = new float[data.Length / frameBytes];
        for (int i = 0; i < samples.Length; i++)
        {
            int sum = 0;
            for (int c = 0; c < channels; c++)
            {
                sum += BinaryPrimitives.ReadInt16LittleEndian(data[(i * frameBytes + 2 * c)..]);
            }

            samples[i] = (float)sum / channels;
        }

        return samples;
    }
}
