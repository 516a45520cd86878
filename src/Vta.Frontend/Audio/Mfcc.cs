namespace Vta.Frontend.Audio;

/// <summary>
/// MFCCs as the MLPerf Tiny keyword-spotting training code computes them (TF ops): the clip divided by its
/// maximum sample, STFT frames of 480 with step 320 (no end padding) under a periodic Hann window, |rfft| at
/// 512 points, 40 mel bins over 20–4000 Hz, log(x + 1e-6), DCT-II with TF's (HTK) scaling, first 10 coefficients.
/// Arithmetic is double precision, rounded to float at the end; TF works in float32, so values differ from
/// TF's in the last few float bits.
/// </summary>
public sealed class Mfcc
{
    public const int SampleRate = 16000;
    public const int ClipSamples = 16000;
    public const int FrameLength = 480;
    public const int FrameStep = 320;
    public const int FftLength = 512;
    public const int MelBins = 40;
    public const double LowerHertz = 20.0;
    public const double UpperHertz = 4000.0;
    public const double LogOffset = 1e-6;
    public const int Coefficients = 10;

    /// <summary>(16000 − 480) / 320 + 1 = 49 frames.</summary>
    public const int Frames = (ClipSamples - FrameLength) / FrameStep + 1;

    private static readonly double[] s_window = PeriodicHann(FrameLength);
    private static readonly double[,] s_mel = MelFilterbank.Create(MelBins, FftLength / 2 + 1, SampleRate, LowerHertz, UpperHertz);

    /// <summary>The periodic Hann window (tf.signal.hann_window default): 0.5 − 0.5·cos(2πn/N).</summary>
    public static double[] PeriodicHann(int length)
    {
        var w = new double[length];
        for (int i = 0; i < length; i++)
        {
            w[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / length);
        }

        return w;
    }

    /// <summary>MFCCs of a clip, [49, 10] row-major (frame, coefficient).</summary>
    public static float[] Compute(WavAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate != SampleRate)
        {
            throw new ArgumentException($"the keyword-spotting MFCC needs {SampleRate} Hz audio; this clip is {audio.SampleRate} Hz and resampling is not supported (convert with: sox in.wav -r 16000 out.wav)", nameof(audio));
        }

        return Compute(audio.Samples);
    }

    /// <summary>
    /// MFCCs of 16 kHz samples. Longer input is cut to its first second (TF's pipeline would fail on it);
    /// shorter input is zero-padded to one second after scaling, as the training code pads.
    /// </summary>
    public static float[] Compute(ReadOnlySpan<float> samples)
    {
        ReadOnlySpan<float> clip = samples[..Math.Min(samples.Length, ClipSamples)];
        var signal = new double[ClipSamples];
        double max = double.NegativeInfinity;
        foreach (float s in clip)
        {
            max = Math.Max(max, s);
        }

        // The recipe divides by the (signed) maximum, not the peak magnitude. Silence or an all-negative clip
        // has no usable maximum (TF would produce inf/NaN), so such clips are left unscaled instead.
        double scale = max > 0 ? 1.0 / max : 1.0;
        for (int i = 0; i < clip.Length; i++)
        {
            signal[i] = clip[i] * scale;
        }

        var result = new float[Frames * Coefficients];
        var frame = new double[FrameLength];
        var logMel = new double[MelBins];
        for (int f = 0; f < Frames; f++)
        {
            for (int i = 0; i < FrameLength; i++)
            {
                frame[i] = signal[f * FrameStep + i] * s_window[i];
            }

            double[] magnitude = Fft.RealMagnitudes(frame, FftLength);
            for (int m = 0; m < MelBins; m++)
            {
                double energy = 0;
                for (int bin = 0; bin < magnitude.Length; bin++)
                {
                    energy += magnitude[bin] * s_mel[bin, m];
                }

                logMel[m] = Math.Log(energy + LogOffset);
            }

            double[] coefficients = Dct.TypeII(logMel, Coefficients, DctScaling.Htk);
            for (int c = 0; c < Coefficients; c++)
            {
                result[f * Coefficients + c] = (float)coefficients[c];
            }
        }

        return result;
    }
}
