using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Frontend.Onnx;

namespace Vta.Frontend.Tests.Onnx;

/// <summary>Runs models in ONNX Runtime (the reference) and, imported, in the reference executor.</summary>
internal static class Ort
{
    /// <summary>ONNX Runtime's outputs for graph inputs given as tensors, in the model's output order.</summary>
    public static Tensor[] Run(byte[] model, IReadOnlyDictionary<string, Tensor> inputs)
    {
        using SessionOptions options = new() { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // Without VNNI, ORT's fast u8s8 GEMM saturates 16-bit pair sums; its exact u8u8 path is the reference. That path
        // has no kernel for int8 activations (whose s8s8 kernels do not saturate): those models keep the default.
        options.AddSessionConfigEntry("session.x64quantprecision", "1");
        using InferenceSession session = Open(model, options);
        List<OrtValue> values = [.. inputs.Values.Select(ToOrt)];
        try
        {
            using RunOptions run = new();
            string[] outputs = [.. session.OutputNames];
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(run, [.. inputs.Keys], values, outputs);
            return [.. results.Select(FromOrt)];
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private static InferenceSession Open(byte[] model, SessionOptions exact)
    {
        try
        {
            return new InferenceSession(model, exact);
        }
        catch (OnnxRuntimeException e) when (e.Message.Contains("tensor(int8)", StringComparison.Ordinal))
        {
            using SessionOptions plain = new() { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            return new InferenceSession(model, plain);
        }
    }

    /// <summary>Imports the model and runs it in the reference executor; outputs in the graph's order.</summary>
    public static Tensor[] RunOurs(byte[] model, IReadOnlyDictionary<string, Tensor> inputs, string name = "test.onnx")
    {
        Graph graph = OnnxImporter.Import(model, name);
        IReadOnlyDictionary<string, Tensor> outputs = ReferenceExecutor.Run(graph, inputs);
        return [.. graph.Outputs.Select(o => outputs[o])];
    }

    private static OrtValue ToOrt(Tensor t)
    {
        long[] shape = [.. t.Shape.Select(d => (long)d)];
        return t.DType switch
        {
            DataType.Float32 => OrtValue.CreateTensorValueFromMemory(t.As<float>(), shape),
            DataType.UInt8 => OrtValue.CreateTensorValueFromMemory(t.As<byte>(), shape),
            DataType.Int8 => OrtValue.CreateTensorValueFromMemory(t.As<sbyte>(), shape),
            DataType.Int32 => OrtValue.CreateTensorValueFromMemory(t.As<int>(), shape),
            DataType.Int64 => OrtValue.CreateTensorValueFromMemory(t.As<long>(), shape),
            _ => throw new NotSupportedException(t.DType.Name()),
        };
    }

    private static Tensor FromOrt(OrtValue v)
    {
        OrtTensorTypeAndShapeInfo info = v.GetTensorTypeAndShape();
        Shape shape = new(info.Shape.Select(d => (int)d));
        return info.ElementDataType switch
        {
            TensorElementType.Float => Tensor.FromArray(shape, v.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.UInt8 => Tensor.FromArray(shape, v.GetTensorDataAsSpan<byte>().ToArray()),
            TensorElementType.Int8 => Tensor.FromArray(shape, v.GetTensorDataAsSpan<sbyte>().ToArray()),
            TensorElementType.Int32 => Tensor.FromArray(shape, v.GetTensorDataAsSpan<int>().ToArray()),
            TensorElementType.Int64 => Tensor.FromArray(shape, v.GetTensorDataAsSpan<long>().ToArray()),
            _ => throw new NotSupportedException(info.ElementDataType.ToString()),
        };
    }

    /// <summary>Seeded normal floats.</summary>
    public static Tensor RandomFloats(int seed, params int[] dims)
    {
        Random r = new(seed);
        Shape shape = new(dims);
        float[] v = new float[shape.ElementCount];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));
        }
        return Tensor.FromArray(shape, v);
    }

    public static Tensor RandomBytes(int seed, params int[] dims)
    {
        Random r = new(seed);
        Shape shape = new(dims);
        byte[] v = new byte[shape.ElementCount];
        r.NextBytes(v);
        return Tensor.FromArray(shape, v);
    }

    /// <summary>max |a - b| / (1 + |b|) over the elements: relative for large values, absolute near zero.</summary>
    public static double MaxScaledError(Tensor ours, Tensor reference)
    {
        Assert.Equal(reference.Shape, ours.Shape);
        float[] a = ours.ToFloats(), b = reference.ToFloats();
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / (1 + Math.Abs(b[i])));
        }
        return worst;
    }
}
