using Vta.Frontend.Labels;

namespace Vta.Cli.Commands.Classify;

/// <summary>
/// The labels for a model: --labels, else the file for the class count in the models folder (TensorFlow's 1001 with
/// background, ImageNet's 1000, CIFAR-10's 10), else built-in names (CIFAR-10, and the MLPerf Tiny keyword-spotting
/// classes for a 12-class model on MFCC input), else none (classes print as #index).
/// </summary>
internal static class ClassifyLabels
{
    public static (LabelSet? Labels, string? Path) For(int classes, InputKind input, string? option, ModelFiles files)
    {
        if (option is not null)
        {
            string path = files.Locate(option, "labels");
            return (Align(LabelSet.Load(path), classes, path), path);
        }

        string? file = (classes, input) switch
        {
            (1001, InputKind.Image) => "imagenet/imagenet_labels.txt",
            (1000, InputKind.Image) => "labels/classification_classes_ILSVRC2012.txt",
            (10, InputKind.Image) => "labels/cifar10_labels.txt",
            _ => null,
        };
        string? found = file is null ? null : files.TryLocate(file);
        if (found is not null)
        {
            return (Align(LabelSet.Load(found), classes, found), found);
        }

        return (classes, input) switch
        {
            (10, InputKind.Image) => (LabelSet.Cifar10, null),
            (12, InputKind.Audio) => (LabelSet.KeywordSpotting, null),
            _ => (null, null),
        };
    }

    private static LabelSet Align(LabelSet labels, int classes, string path)
    {
        try
        {
            return labels.AlignTo(classes);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
