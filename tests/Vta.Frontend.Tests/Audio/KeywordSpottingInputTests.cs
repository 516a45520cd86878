using Vta.Frontend.Audio;
using Vta.Frontend.Npz;
using Vta.Frontend.Tests.Images;

namespace Vta.Frontend.Tests.Audio;

public class KeywordSpottingInputTests
{
    // Frames 0, 24 and 48 of the MFCC of marvin_617de221_0.wav from an independent pure-Python rendering
    // of the README recipe (naive DFT, no FFT, no numpy), printed to 5 decimals.
    private static readonly (int Frame, double[] Values)[] s_reference =
    [
        (0, [-23.18703, 5.57622, -3.20484, -3.83412, -0.20775, 2.01530, 0.73228, -0.09966, -1.01170, 0.31642]),
        (24, [16.70232, 1.14057, -2.70828, -3.52489, 1.15022, 0.92853, -1.21803, 0.08277, -0.59331, -0.68780]),
        (48, [-19.11727, 6.37921, 3.86338, 2.19559, -0.86920, 1.52571, -2.09088, -0.69464, -1.24266, 0.31037]),
    ];

    // The same reference quantized with the model's scale 0.5847029 and zero point 83 (all 490 values; no
    // value lies within 0.0014 of a rounding boundary, so float32 vs double arithmetic cannot flip one).
    private static readonly sbyte[] s_referenceQuantized = [43,93,78,76,83,86,84,83,81,84,38,92,76,75,84,86,85,83,81,83,38,92,76,77,87,87,83,83,84,83,42,94,78,81,87,86,81,82,84,81,43,92,77,82,86,84,82,82,84,83,51,90,80,87,83,81,79,82,86,82,47,87,81,87,81,80,82,83,85,83,51,89,81,85,79,80,81,80,86,85,46,89,83,86,79,79,81,80,84,84,45,89,84,86,79,80,81,83,86,83,35,90,87,85,80,82,81,85,86,85,32,91,88,85,79,81,82,82,86,84,35,91,89,84,76,82,81,80,84,82,35,87,90,88,77,83,81,81,87,81,34,84,89,87,77,83,81,81,88,82,38,85,87,86,77,84,81,81,87,82,42,87,84,84,76,84,83,82,86,82,46,88,83,88,79,83,84,83,82,81,58,94,84,91,82,82,85,82,82,81,81,94,81,89,85,82,83,76,82,82,90,91,81,87,85,83,83,76,82,82,94,90,82,85,84,83,83,77,82,82,98,89,82,84,83,83,83,77,81,81,107,89,82,81,82,83,83,81,81,83,112,85,78,77,85,85,81,83,82,82,113,83,80,78,85,84,81,84,81,82,116,81,79,79,85,84,81,84,81,81,116,81,79,78,85,83,81,83,81,81,116,81,79,78,85,84,81,82,82,81,115,82,78,78,84,84,81,81,82,80,115,83,78,78,83,84,81,80,83,80,114,86,80,77,81,82,82,81,83,82,102,91,83,77,83,83,82,80,85,82,83,94,84,81,84,81,81,80,85,81,89,91,84,82,83,81,79,80,85,81,107,88,84,82,82,78,82,82,85,80,115,84,84,83,80,78,84,83,84,81,115,82,85,83,78,78,83,83,84,81,113,83,84,82,77,80,86,83,82,81,109,85,85,83,79,80,85,84,82,83,74,91,85,88,79,82,83,83,80,83,71,93,85,90,77,82,82,83,79,84,66,93,86,91,78,82,81,84,78,84,56,94,87,91,79,84,81,84,79,85,44,91,89,91,81,83,82,85,80,83,39,91,88,90,80,86,81,83,82,81,46,95,87,87,81,85,80,83,82,82,51,96,86,86,81,86,81,82,81,82,50,94,90,87,82,86,79,82,81,84];

    private static string Marvin => SharedModels.PathOf("mlperf-tiny/marvin_617de221_0.wav");

    [Fact]
    public void Marvin_mfcc_has_shape_49_by_10_and_matches_the_reference()
    {
        NpyArray mfcc = KeywordSpottingInput.FloatFromWav(Marvin);
        Assert.Equal([1, 49, 10, 1], mfcc.Shape);
        float[] values = mfcc.ToArray<float>();
        foreach ((int frame, double[] expected) in s_reference)
        {
            for (int c = 0; c < 10; c++)
            {
                Assert.Equal(expected[c], values[frame * 10 + c], 4);
            }
        }
    }

    [Fact]
    public void Marvin_int8_input_matches_the_reference_quantization()
    {
        NpyArray input = KeywordSpottingInput.FromWav(Marvin);
        Assert.Equal("input_1", input.Name);
        Assert.Equal(NpyDType.Int8, input.DType);
        Assert.Equal([1, 49, 10, 1], input.Shape);
        Assert.Equal(s_referenceQuantized, input.ToArray<sbyte>());
    }
}
