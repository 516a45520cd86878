using Vta.Frontend.Labels;
using Vta.Frontend.Tests.Images;

namespace Vta.Frontend.Tests.Labels;

public class LabelSetTests
{
    [Fact]
    public void Shared_label_files_have_their_documented_counts()
    {
        LabelSet imagenet1001 = LabelSet.Load(SharedModels.PathOf("imagenet/imagenet_labels.txt"));
        Assert.Equal(1001, imagenet1001.Count);
        Assert.True(imagenet1001.HasBackground);
        Assert.Equal("Egyptian cat", imagenet1001[286]);

        LabelSet ilsvrc = LabelSet.Load(SharedModels.PathOf("labels/classification_classes_ILSVRC2012.txt"));
        Assert.Equal(1000, ilsvrc.Count);
        Assert.False(ilsvrc.HasBackground);
        Assert.Equal("Egyptian cat", ilsvrc[285]);

        LabelSet cifar = LabelSet.Load(SharedModels.PathOf("labels/cifar10_labels.txt"));
        Assert.Equal(10, cifar.Count);
        Assert.Equal(LabelSet.Cifar10.Labels, cifar.Labels);
        Assert.Equal("cat", cifar[3]);

        Assert.Equal(12, LabelSet.KeywordSpotting.Count);
        Assert.Equal("Unknown", LabelSet.KeywordSpotting[11]);
        Assert.Equal("Down", LabelSet.KeywordSpotting[0]);
    }

    [Fact]
    public void Background_file_aligns_to_a_1000_class_model_and_mismatches_are_errors()
    {
        LabelSet imagenet1001 = LabelSet.Load(SharedModels.PathOf("imagenet/imagenet_labels.txt"));
        LabelSet aligned = imagenet1001.AlignTo(1000);
        Assert.Equal(1000, aligned.Count);
        Assert.Equal("Egyptian cat", aligned[285]);
        Assert.Same(imagenet1001, imagenet1001.AlignTo(1001));
        Assert.Throws<InvalidOperationException>(() => LabelSet.Cifar10.AlignTo(12));
    }

    [Fact]
    public void Trailing_blank_lines_are_dropped_inner_blanks_refused()
    {
        string dir = Directory.CreateTempSubdirectory("vta-labels-").FullName;
        try
        {
            string ok = Path.Combine(dir, "ok.txt");
            File.WriteAllText(ok, "\uFEFFyes\r\nno\r\n\r\n\n");
            Assert.Equal(["yes", "no"], LabelSet.Load(ok).Labels);

            string gap = Path.Combine(dir, "gap.txt");
            File.WriteAllText(gap, "a\n\nb\n");
            Assert.Contains("line 2", Assert.Throws<InvalidDataException>(() => LabelSet.Load(gap)).Message);

            Assert.Throws<IOException>(() => LabelSet.Load(Path.Combine(dir, "missing.txt")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
