using System.Globalization;
using Vta.Compiler.Graphs;
using Vta.Frontend.Audio;
using Vta.Frontend.Images;

namespace Vta.Cli.Commands.Classify;

/// <summary>What a model's input takes from a file.</summary>
internal enum InputKind
{
    Image,
    Audio,
}

/// <summary>
/// How a model's (single) input is fed from a file, picked from the input's type, layout and shape
/// (shared/models/README.md): [1,S,S,3] uint8 takes raw RGB bytes and int8 pixel − 128 (TFLite MobileNet, MLPerf
/// Tiny ResNet-8); [1,3,S,S] float32 takes ImageNet mean/std normalized values (ONNX Model Zoo); [1,49,10,1] int8 or
/// float32 takes the MLPerf Tiny keyword-spotting MFCCs of a 16 kHz WAV, quantized with the input's own parameters.
/// </summary>
internal sealed class ModelInput
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];
    public static readonly string[] AudioExtensions = [".wav"];

    private readonly Preprocess? _image;

    private ModelInput(string name, TensorType type, InputKind kind, Preprocess? image, string description)
    {
        Name = name;
        Type = type;
        Kind = kind;
        _image = image;
        Description = description;
    }

    public string Name { get; }

    public TensorType Type { get; }

    public InputKind Kind { get; }

    /// <summary>The preprocessing, for printing (e.g. "RawRgbNhwcU8(224)", "MFCC 49x10 int8").</summary>
    public string Description { get; }

    public static ModelInput For(Graph graph, string model)
    {
        if (graph.Inputs.Count != 1)
        {
            throw new InvalidDataException($"{model}: classify takes models with one input; this one has {graph.Inputs.Count} ({string.Join(", ", graph.Inputs)})");
        }

        string name = graph.Inputs[0];
        TensorType t = graph.TypeOf(name);
        Shape s = t.Shape;
        bool nhwcImage = t.Rank == 4 && s[0] == 1 && s[3] == 3 && s[1] == s[2];
        bool nchwImage = t.Rank == 4 && s[0] == 1 && s[1] == 3 && s[2] == s[3];
        bool mfcc = t.Rank == 4 && s[0] == 1 && s[1] == Mfcc.Frames && s[2] == Mfcc.Coefficients && s[3] == 1;
        return (t.DType, nhwcImage, nchwImage, mfcc) switch
        {
            (DataType.UInt8, true, _, _) => Image(name, t, Preprocess.RawRgbNhwcU8(s[1])),
            (DataType.Int8, true, _, _) => Image(name, t, Preprocess.Cifar10Int8(s[1])),
            (DataType.Float32, _, true, _) => Image(name, t, Preprocess.ImageNetFloatNchw(s[2])),
            (DataType.Int8, _, _, true) when t.Quant is { IsPerChannel: false } => new ModelInput(name, t, InputKind.Audio, null,
                string.Create(CultureInfo.InvariantCulture, $"MFCC {Mfcc.Frames}x{Mfcc.Coefficients} int8 (scale {t.Quant.Scales[0]:G6}, zero point {t.Quant.ZeroPoints[0]})")),
            (DataType.Float32, _, _, true) => new ModelInput(name, t, InputKind.Audio, null, $"MFCC {Mfcc.Frames}x{Mfcc.Coefficients} float32"),
            _ => throw new InvalidDataException($"{model}: input '{name}' is {t}; classify feeds photos to [1,S,S,3] uint8/int8 or [1,3,S,S] float32 inputs "
                + $"and 16 kHz WAV MFCCs to [1,{Mfcc.Frames},{Mfcc.Coefficients},1] int8/float32 inputs"),
        };
    }

    /// <summary>What a file is by its extension, or an error naming it.</summary>
    public static InputKind KindOf(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ImageExtensions.Contains(ext) ? InputKind.Image
            : AudioExtensions.Contains(ext) ? InputKind.Audio
            : throw new InvalidDataException($"{path}: unsupported input file type '{ext}'; expected a photo ({string.Join(", ", ImageExtensions)}) or a WAV clip (.wav)");
    }

    /// <summary>The input tensor for <paramref name="path"/>; an image for an audio model (or the reverse) is an error naming the file.</summary>
    public Tensor Load(string path, string model)
    {
        CheckKind(path, model);
        if (_image is not null)
        {
            return Tensor.FromBytes(Type, _image.Apply(ImageDecoder.Load(path), Name).Bytes);
        }

        var mfcc = Type.DType == DataType.Float32
            ? KeywordSpottingInput.FloatFromWav(path, Name)
            : KeywordSpottingInput.FromWav(path, Name, Type.Quant!.Scales[0], Type.Quant.ZeroPoints[0]);
        return Tensor.FromBytes(Type, mfcc.Bytes);
    }

    /// <summary>Throws, naming the file, when <paramref name="path"/> is not the kind of file this input takes.</summary>
    public void CheckKind(string path, string model)
    {
        InputKind kind = KindOf(path);
        if (kind != Kind)
        {
            throw new InvalidDataException($"{path}: is {Article(kind)}, but the input '{Name}' {Type} of {Path.GetFileName(model)} takes {Article(Kind)}");
        }
    }

    private static ModelInput Image(string name, TensorType t, Preprocess p) => new(name, t, InputKind.Image, p, p.ToString());

    private static string Article(InputKind kind) => kind == InputKind.Image ? "an image" : "a WAV clip";
}
