using Microsoft.ML.OnnxRuntime;
using Vta.Compiler.Graphs;

namespace Vta.Cli;

/// <summary>Graph tensors as ONNX Runtime values (for the reference comparisons and the CPU benchmarks).</summary>
internal static class OrtTensors
{
    /// <summary>A value over the tensor's own array (no copy); by the element type, since the CLR lets an sbyte[] pass as a byte[].</summary>
    public static OrtValue ToOrt(Tensor t)
    {
        long[] shape = [.. t.Shape.Select(d => (long)d)];
        return t.DType switch
        {
            DataType.Float32 => OrtValue.CreateTensorValueFromMemory(t.As<float>(), shape),
            DataType.UInt8 => OrtValue.CreateTensorValueFromMemory(t.As<byte>(), shape),
            DataType.Int8 => OrtValue.CreateTensorValueFromMemory(t.As<sbyte>(), shape),
            DataType.Int32 => OrtValue.CreateTensorValueFromMemory(t.As<int>(), shape),
            _ => throw new NotSupportedException($"{t.DType.Name()} tensors are not passed to ONNX Runtime"),
        };
    }
}
