using Vta.Frontend.Audio;

namespace Vta.Frontend.Tests.Audio;

/// <summary>Each stage of the MFCC against values worked out by hand on tiny signals.</summary>
public class MfccPiecesTests
{
    [Fact]
    public void Fft_of_a_dc_signal_is_all_in_bin_zero()
    {
        double[] re = [2, 2, 2, 2, 2, 2, 2, 2];
        double[] im = new double[8];
        Fft.Forward(re, im);
        Assert.Equal(16.0, re[0], 12);
        for (int k = 1; k < 8; k++)
        {
            Assert.Equal(0.0, Math.Abs(re[k]) + Math.Abs(im[k]), 12);
        }
    }

    [Fact]
    public void Fft_of_a_pure_tone_lands_in_its_bin_with_half_the_length()
    {
        // cos(2π·5n/512) over 512 points: |X[5]| = |X[507]| = 512/2, everything else zero.
        double[] tone = Enumerable.Range(0, 512).Select(n => Math.Cos(2 * Math.PI * 5 * n / 512)).ToArray();
        double[] magnitude = Fft.RealMagnitudes(tone, 512);
        Assert.Equal(257, magnitude.Length);
        Assert.Equal(256.0, magnitude[5], 9);
        Assert.All(magnitude.Where((_, k) => k != 5), m => Assert.True(m < 1e-9));
    }

    [Fact]
    public void Fft_of_an_impulse_is_flat_and_rejects_non_powers_of_two()
    {
        double[] re = [1, 0, 0, 0];
        double[] im = new double[4];
        Fft.Forward(re, im);
        Assert.All(re, v => Assert.Equal(1.0, v, 12));
        Assert.Throws<ArgumentException>(() => Fft.Forward(new double[6], new double[6]));
    }

    [Fact]
    public void Periodic_hann_window_values()
    {
        double[] w = Mfcc.PeriodicHann(480);
        Assert.Equal(0.0, w[0]);
        Assert.Equal(0.5, w[120], 12);
        Assert.Equal(1.0, w[240], 12);
        Assert.Equal(0.5, w[360], 12);
        Assert.Equal(240.0, w.Sum(), 9); // N/2 for the periodic window (the symmetric one would not reach 1 at 240)
    }

    [Fact]
    public void Mel_band_edges_are_evenly_spaced_htk_mels_from_20_to_4000_hz()
    {
        Assert.Equal(1127.0 * Math.Log(2.0), MelFilterbank.HertzToMel(700), 12);
        double[] edges = MelFilterbank.BandEdgesMel(40, 20, 4000);
        Assert.Equal(42, edges.Length);
        Assert.Equal(31.748578341466644, edges[0], 9);   // 1127·ln(1 + 20/700)
        Assert.Equal(2146.075609141898, edges[41], 9);   // 1127·ln(1 + 4000/700)
        Assert.Equal(83.31753031220887, edges[1], 9);    // edges[0] + (edges[41] − edges[0]) / 41
    }

    [Fact]
    public void Mel_weights_are_triangles_between_the_edges()
    {
        double[,] w = MelFilterbank.Create(40, 257, 16000, 20, 4000);
        double[] edges = MelFilterbank.BandEdgesMel(40, 20, 4000);

        // Bin 1 is 31.25 Hz: just past the first lower edge. Bin 2 (62.5 Hz) sits on both of the first two triangles.
        Assert.Equal(0.338832137522331, w[1, 0], 9);
        Assert.Equal(0.746631283877698, w[2, 0], 9);
        Assert.Equal(0.25336871612230205, w[2, 1], 9);
        for (int bin = 0; bin < 257; bin++)
        {
            double mel = MelFilterbank.HertzToMel(bin * 31.25);
            for (int m = 0; m < 40; m++)
            {
                bool inside = mel > edges[m] && mel < edges[m + 2];
                Assert.True(bin > 0 && inside || w[bin, m] == 0, $"bin {bin} mel {m}");
                Assert.InRange(w[bin, m], 0.0, 1.0);
            }
        }

        // DC and everything from 4000 Hz (bin 128) up carry no weight.
        Assert.All(Enumerable.Range(0, 40), m => Assert.Equal(0.0, w[0, m]));
        Assert.All(Enumerable.Range(128, 129), bin => Assert.Equal(0.0, Enumerable.Range(0, 40).Sum(m => w[bin, m])));
    }

    [Fact]
    public void Dct_ii_orthonormal_of_a_known_vector()
    {
        // scipy.fft.dct([1, 2, 3, 4], norm='ortho') = [5, −2.2304425, 0, −0.15851267]
        double[] y = Dct.TypeII([1, 2, 3, 4], 4, DctScaling.Orthonormal);
        Assert.Equal(5.0, y[0], 12);
        Assert.Equal(-2.230442497387663, y[1], 12);
        Assert.Equal(0.0, y[2], 12);
        Assert.Equal(-0.15851266778110815, y[3], 12);

        // TF's (HTK) scaling only differs in coefficient 0, by sqrt(2).
        double[] htk = Dct.TypeII([1, 2, 3, 4], 4, DctScaling.Htk);
        Assert.Equal(5.0 * Math.Sqrt(2), htk[0], 12);
        Assert.Equal(y[1..], htk[1..]);
    }

    [Fact]
    public void Mfcc_of_silence_is_the_log_floor_in_coefficient_zero()
    {
        // Silence: every mel energy is 0, so log(0 + 1e-6) in all 40 bands; the DCT leaves only
        // c0 = sqrt(2/40)·40·ln(1e-6) = −123.5697.
        float[] mfcc = Mfcc.Compute(new float[16000]);
        Assert.Equal(49 * 10, mfcc.Length);
        for (int f = 0; f < 49; f++)
        {
            Assert.Equal(-123.56968300589666, mfcc[f * 10], 4);
            Assert.All(mfcc.AsSpan(f * 10 + 1, 9).ToArray(), c => Assert.Equal(0.0, c, 4));
        }
    }

    [Fact]
    public void Scaling_by_the_maximum_makes_the_level_irrelevant_and_short_clips_are_padded()
    {
        var rng = new Random(7);
        float[] clip = Enumerable.Range(0, 16000).Select(_ => (float)(rng.NextDouble() - 0.4)).ToArray();
        float[] louder = clip.Select(v => v * 8).ToArray();
        Assert.Equal(Mfcc.Compute(clip), Mfcc.Compute(louder), (a, b) => Math.Abs(a - b) < 1e-4);

        float[] halfSecond = clip[..8000];
        float[] padded = [.. halfSecond, .. new float[8000]];
        Assert.Equal(Mfcc.Compute(padded), Mfcc.Compute(halfSecond));
    }

    [Fact]
    public void Quantization_rounds_half_away_from_zero_and_saturates()
    {
        sbyte[] q = KeywordSpottingInput.Quantize([0f, 1.5f, -1.5f, 2.49f, 1000f, -1000f], 1f, 0);
        Assert.Equal(new sbyte[] { 0, 2, -2, 2, 127, -128 }, q);
        Assert.Equal(new sbyte[] { 83 + 4 }, KeywordSpottingInput.Quantize([4 * KeywordSpottingInput.DefaultScale]));
    }
}
