using Microsoft.ML.OnnxRuntime;
using Vta.Compiler.Graphs;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace Vta.Cli.Commands.Classify;

/// <summary>
/// ONNX Runtime on the original .onnx file: the reference for ONNX models (it never sees our importer). One session per
/// model, reused for every input; the output is the model's first output.
/// </summary>
internal sealed class OrtReference : IDisposable
{
    public const string Source = "onnxruntime";

    private readonly InferenceSession _session;
    private readonly string _path;

    public OrtReference(string path)
    {
        _path = path;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        // Without VNNI, ORT's fast u8s8 GEMM saturates 16-bit pair sums; the exact u8u8 path is the reference.
        options.AddSessionConfigEntry("session.x64quantprecision", "1");
        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path}: ONNX Runtime cannot load the model: {e.Message}", e);
        }
    }

    public ReferenceOutput Run(string inputName, Tensor input)
    {
        using OrtValue value = OrtTensors.ToOrt(input);
        using var run = new RunOptions();
        try
        {
            using IDisposableReadOnlyCollection<OrtValue> results = _session.Run(run, [inputName], [value], [_session.OutputNames[0]]);
            return new ReferenceOutput(Source, FromOrt(results[0]));
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{_path}: ONNX Runtime failed on input '{inputName}' {input.Type}: {e.Message}", e);
        }
    }

    public void Dispose() => _session.Dispose();

    private Tensor FromOrt(OrtValue v)
    {
        OrtTensorTypeAndShapeInfo info = v.GetTensorTypeAndShape();
        var shape = new Shape(info.Shape.Select(d => (int)d));
        return info.ElementDataType switch
        {
            TensorElementType.Float => Tensor.FromArray(shape, v.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.UInt8 => Tensor.FromArray(shape, v.GetTensorDataAsSpan<byte>().ToArray()),
            TensorElementType.Int8 => Tensor.FromArray(shape, v.GetTensorDataAsSpan<sbyte>().ToArray()),
            _ => throw new InvalidDataException($"{_path}: ONNX Runtime output of type {info.ElementDataType} is not read by classify"),
        };
    }
}
