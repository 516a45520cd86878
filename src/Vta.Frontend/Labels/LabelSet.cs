namespace Vta.Frontend.Labels;

/// <summary>Class labels, one per line of a text file, indexed like the model's output vector.</summary>
public sealed class LabelSet
{
    private readonly string[] _labels;

    public LabelSet(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = labels.ToArray();
        if (_labels.Length == 0)
        {
            throw new ArgumentException("a label set needs at least one label", nameof(labels));
        }
    }

    /// <summary>MLPerf Tiny keyword spotting, in the model's output order (from the models README).</summary>
    public static LabelSet KeywordSpotting { get; } = new(["Down", "Go", "Left", "No", "Off", "On", "Right", "Stop", "Up", "Yes", "Silence", "Unknown"]);

    /// <summary>CIFAR-10 in its standard class order (the same as labels/cifar10_labels.txt).</summary>
    public static LabelSet Cifar10 { get; } = new(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]);

    public int Count => _labels.Length;

    public IReadOnlyList<string> Labels => _labels;

    /// <summary>True for TensorFlow's 1001-class ImageNet files, whose line 0 is 'background'.</summary>
    public bool HasBackground => _labels[0].Equals("background", StringComparison.OrdinalIgnoreCase);

    public string this[int index] => _labels[index];

    /// <summary>
    /// Reads one label per line (UTF-8, BOM and \r\n tolerated). Trailing blank lines are dropped; a blank line
    /// in the middle is an error, since it would shift every later index.
    /// </summary>
    public static LabelSet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot read label file ({e.Message})", e);
        }

        int count = lines.Length;
        while (count > 0 && string.IsNullOrWhiteSpace(lines[count - 1]))
        {
            count--;
        }

        if (count == 0)
        {
            throw new InvalidDataException($"{path}: label file is empty");
        }

        var labels = new string[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = lines[i].Trim();
            if (labels[i].Length == 0)
            {
                throw new InvalidDataException($"{path}: line {i + 1} is blank; every class index needs a label");
            }
        }

        return new LabelSet(labels);
    }

    /// <summary>
    /// Matches the labels to a model's class count: a 1001-line file with 'background' serves a 1000-class model
    /// by dropping line 0; any other mismatch is an error rather than silently shifted labels.
    /// </summary>
    public LabelSet AlignTo(int classCount)
    {
        if (classCount == Count)
        {
            return this;
        }

        if (classCount == Count - 1 && HasBackground)
        {
            return new LabelSet(_labels.Skip(1));
        }

        throw new InvalidOperationException($"the model has {classCount} classes but the label file has {Count} labels");
    }

    /// <summary>The label of an index, or "#index" past the end (so a short file never hides a result).</summary>
    public string NameOf(int index) => index >= 0 && index < _labels.Length ? _labels[index] : $"#{index}";
}
