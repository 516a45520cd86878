using Vta.Frontend.Npz;

namespace Vta.Frontend.Audio;

/// <summary>The MLPerf Tiny KWS model's input: MFCCs quantized to int8, shape [1, 49, 10, 1].</summary>
public static class KeywordSpottingInput
{
    /// <summary>kws_ref_model.tflite's input scale, the exact float32 stored in the model (the README rounds it to 0.5847).</summary>
    public const float DefaultScale = 0.5847029089927673f;

    public const int DefaultZeroPoint = 83;

    /// <summary>TFLite's quantize: round(x / scale) half away from zero, plus the zero point, clamped to int8.</summary>
    public static sbyte[] Quantize(ReadOnlySpan<float> values, float scale = DefaultScale, int zeroPoint = DefaultZeroPoint)
    {
        if (!(scale > 0) || !float.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), $"quantization scale must be positive, got {scale}");
        }

        var q = new sbyte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = Math.Round(values[i] / (double)scale, MidpointRounding.AwayFromZero) + zeroPoint;
            q[i] = (sbyte)Math.Clamp(v, sbyte.MinValue, sbyte.MaxValue);
        }

        return q;
    }

    /// <summary>Reads a 16 kHz 16-bit WAV and returns the quantized [1,49,10,1] int8 input tensor.</summary>
    public static NpyArray FromWav(string path, string inputName = "input_1", float scale = DefaultScale, int zeroPoint = DefaultZeroPoint)
    {
        WavAudio audio = Load16k(path);
        return NpyArray.Create<sbyte>(inputName, [1, Mfcc.Frames, Mfcc.Coefficients, 1], Quantize(Mfcc.Compute(audio), scale, zeroPoint));
    }

    /// <summary>The float MFCCs as a [1,49,10,1] float32 tensor, for float models or inspection.</summary>
    public static NpyArray FloatFromWav(string path, string inputName = "input_1") =>
        NpyArray.Create<float>(inputName, [1, Mfcc.Frames, Mfcc.Coefficients, 1], Mfcc.Compute(Load16k(path)));

    private static WavAudio Load16k(string path)
    {
        WavAudio audio = WavAudio.Load(path);
        if (audio.SampleRate != Mfcc.SampleRate)
        {
            throw new WavFormatException(path, $"sample rate is {audio.SampleRate} Hz; the keyword-spotting model needs {Mfcc.SampleRate} Hz and resampling is not supported (convert with: sox in.wav -r 16000 out.wav)");
        }

        return audio;
    }
}
