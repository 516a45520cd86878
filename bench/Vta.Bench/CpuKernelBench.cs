using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML.OnnxRuntime;
using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm.Kernels;

namespace Vta.Bench;

/// <summary>
/// The LLVM CPU kernels against ONNX Runtime on the same machine, one thread each: ResNet-18's first conv (float,
/// NCHW, 3→64, 7×7/2, 224²) and MobileNetV2's first depthwise conv (uint8, 112²×32, 3×3/1). ONNX Runtime runs a
/// one-node model (Conv or QLinearConv) whose protobuf is written below by hand.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CpuKernelBench
{
    private const int DwSize = 112, DwChannels = 32;

    private PreparedConvFloat _conv = null!, _convExact = null!;
    private PreparedDepthwiseConvQ8 _dw = null!;
    private float[] _convIn = null!, _convOut = null!;
    private Tensor _dwIn = null!;
    private OrtRunner _ortConv = null!, _ortDw = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random rng = new(1);
        Conv2d conv = new(new Size2d(2, 2), new Pads2d(3, 3, 3, 3), Size2d.One);
        float[] w = Floats(rng, 64 * 3 * 7 * 7, 0.1f), b = Floats(rng, 64, 0.5f);
        _convIn = Floats(rng, 3 * 224 * 224, 2f);
        _convOut = new float[64 * 112 * 112];
        TensorType convIn = new(DataType.Float32, new Shape(1, 3, 224, 224));
        Tensor wt = Tensor.FromArray(new Shape(64, 3, 7, 7), w), bt = Tensor.FromArray(new Shape(64), b);
        TensorType convOut = conv.InferOutputs([convIn, wt.Type, bt.Type])[0];
        _conv = PreparedConvFloat.TryCreate(conv, convIn, wt, bt, convOut, out string? why) ?? throw new InvalidOperationException(why);
        _convExact = PreparedConvFloat.TryCreate(conv, convIn, wt, bt, convOut, out why, fused: false) ?? throw new InvalidOperationException(why);
        _ortConv = new OrtRunner(OnnxModels.Conv(w, b), "X", [1, 3, 224, 224], _convIn, "Y", [1, 64, 112, 112]);

        // uint8 per-tensor as in the shared MobileNetV2 TFLite model; ORT gets the same values in NCHW.
        byte[] x = Bytes(rng, DwSize * DwSize * DwChannels), wq = Bytes(rng, 9 * DwChannels);
        int[] bias = Enumerable.Range(0, DwChannels).Select(_ => rng.Next(-20000, 20000)).ToArray();
        (float xs, int xz, float ws, int wz, float ys, int yz) = (0.0235f, 128, 0.0173f, 121, 0.0236f, 3);
        DepthwiseConv2d dw = new(Size2d.One, new Pads2d(1, 1, 1, 1), Size2d.One, 1, FusedActivation.Relu6, DataLayout.Nhwc, KernelLayout.Ihwo);
        _dwIn = new Tensor(new TensorType(DataType.UInt8, new Shape(1, DwSize, DwSize, DwChannels), Quantization.PerTensor(xs, xz)), x);
        Tensor dwW = new(new TensorType(DataType.UInt8, new Shape(1, 3, 3, DwChannels), Quantization.PerTensor(ws, wz)), wq);
        Tensor dwB = Tensor.FromArray(new Shape(DwChannels), bias);
        TensorType dwOut = dw.InferOutputs([_dwIn.Type, dwW.Type, dwB.Type])[0].WithQuant(Quantization.PerTensor(ys, yz));
        _dw = PreparedDepthwiseConvQ8.TryCreate(dw, _dwIn.Type, dwW, dwB, dwOut, out why) ?? throw new InvalidOperationException(why);
        byte[] xNchw = new byte[x.Length], wOihw = new byte[wq.Length];
        for (int p = 0; p < DwSize * DwSize; p++)
        {
            for (int c = 0; c < DwChannels; c++)
            {
                xNchw[(c * DwSize * DwSize) + p] = x[(p * DwChannels) + c];
            }
        }
        for (int t = 0; t < 9; t++)
        {
            for (int c = 0; c < DwChannels; c++)
            {
                wOihw[(c * 9) + t] = wq[(t * DwChannels) + c];
            }
        }
        // ONNX has no fused activation: the Relu6 clamp of the output range is what the quantized kernel applies, and
        // with this output scale 0..6 covers 3..257, so the clamp is a no-op above and ORT's result is comparable.
        byte[] model = OnnxModels.DepthwiseQLinearConv(DwChannels, wOihw, bias, xs, (byte)xz, ws, (byte)wz, ys, (byte)yz);
        _ortDw = new OrtRunner(model, "X", [1, DwChannels, DwSize, DwSize], xNchw, "Y", [1, DwChannels, DwSize, DwSize]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ortConv.Dispose();
        _ortDw.Dispose();
    }

    [BenchmarkCategory("resnet18 conv1 f32"), Benchmark(Baseline = true)]
    public void ConvOnnxRuntime() => _ortConv.Run();

    [BenchmarkCategory("resnet18 conv1 f32"), Benchmark]
    public void ConvLlvm() => _conv.Run(_convIn, _convOut);

    [BenchmarkCategory("resnet18 conv1 f32"), Benchmark]
    public void ConvLlvmUnfused() => _convExact.Run(_convIn, _convOut);

    [BenchmarkCategory("mobilenetv2 dw 112x32 u8"), Benchmark(Baseline = true)]
    public void DepthwiseOnnxRuntime() => _ortDw.Run();

    [BenchmarkCategory("mobilenetv2 dw 112x32 u8"), Benchmark]
    public Tensor DepthwiseLlvm() => _dw.Run(_dwIn);

    private static float[] Floats(Random rng, int n, float scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1) * scale).ToArray();

    private static byte[] Bytes(Random rng, int n)
    {
        byte[] bytes = new byte[n];
        rng.NextBytes(bytes);
        return bytes;
    }
}

/// <summary>An ONNX Runtime session on one thread with its input and output bound once.</summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue _input, _output;
    private readonly string[] _inputNames, _outputNames;

    public OrtRunner(byte[] model, string input, long[] inputShape, Array inputData, string output, long[] outputShape)
    {
        using SessionOptions options = new()
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        _input = inputData is float[] f ? OrtValue.CreateTensorValueFromMemory(f, inputShape) : OrtValue.CreateTensorValueFromMemory((byte[])inputData, inputShape);
        long count = outputShape.Aggregate(1L, (a, b) => a * b);
        _output = inputData is float[] ? OrtValue.CreateTensorValueFromMemory(new float[count], outputShape) : OrtValue.CreateTensorValueFromMemory(new byte[count], outputShape);
        (_inputNames, _outputNames) = ([input], [output]);
    }

    public void Run() => _session.Run(_run, _inputNames, [_input], _outputNames, [_output]);

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
        _input.Dispose();
        _output.Dispose();
    }
}

/// <summary>One-node ONNX models as protobuf bytes (field numbers from onnx.proto; opset 13).</summary>
internal static class OnnxModels
{
    private const int Float = 1, UInt8 = 2, Int32 = 6;

    public static byte[] Conv(float[] w, float[] b) => Model(
        Node("Conv", ["X", "W", "B"], Ints("kernel_shape", 7, 7), Ints("strides", 2, 2), Ints("pads", 3, 3, 3, 3)),
        [Initializer("W", Float, [64, 3, 7, 7], Raw(w)), Initializer("B", Float, [64], Raw(b))],
        ValueInfo("X", Float, 1, 3, 224, 224), ValueInfo("Y", Float, 1, 64, 112, 112));

    public static byte[] DepthwiseQLinearConv(int c, byte[] w, int[] b, float xs, byte xz, float ws, byte wz, float ys, byte yz) => Model(
        Node("QLinearConv", ["X", "xs", "xz", "W", "ws", "wz", "ys", "yz", "B"],
            Ints("kernel_shape", 3, 3), Ints("strides", 1, 1), Ints("pads", 1, 1, 1, 1), Int("group", c)),
        [
            Initializer("xs", Float, [], Raw([xs])), Initializer("xz", UInt8, [], [xz]),
            Initializer("W", UInt8, [c, 1, 3, 3], w), Initializer("ws", Float, [], Raw([ws])), Initializer("wz", UInt8, [], [wz]),
            Initializer("ys", Float, [], Raw([ys])), Initializer("yz", UInt8, [], [yz]), Initializer("B", Int32, [c], Raw(b)),
        ],
        ValueInfo("X", UInt8, 1, c, 112, 112), ValueInfo("Y", UInt8, 1, c, 112, 112));

    private static byte[] Model(byte[] node, byte[][] initializers, byte[] input, byte[] output)
    {
        Proto graph = new();
        graph.Bytes(1, node).String(2, "bench");
        foreach (byte[] init in initializers)
        {
            graph.Bytes(5, init);
        }
        graph.Bytes(11, input).Bytes(12, output);
        return new Proto().Varint(1, 8).Bytes(8, new Proto().String(1, string.Empty).Varint(2, 13).ToArray())
            .String(2, "vta-bench").Bytes(7, graph.ToArray()).ToArray();
    }

    private static byte[] Node(string op, string[] inputs, params byte[][] attributes)
    {
        Proto p = new();
        foreach (string i in inputs)
        {
            p.String(1, i);
        }
        p.String(2, "Y").String(3, "node").String(4, op);
        foreach (byte[] a in attributes)
        {
            p.Bytes(5, a);
        }
        return p.ToArray();
    }

    private static byte[] Ints(string name, params long[] values)
    {
        Proto p = new Proto().String(1, name);
        foreach (long v in values)
        {
            p.Varint(8, v);
        }
        return p.Varint(20, 7).ToArray();
    }

    private static byte[] Int(string name, long value) => new Proto().String(1, name).Varint(3, value).Varint(20, 2).ToArray();

    private static byte[] Initializer(string name, int type, long[] dims, byte[] raw)
    {
        Proto p = new();
        foreach (long d in dims)
        {
            p.Varint(1, d);
        }
        return p.Varint(2, type).String(8, name).Bytes(9, raw).ToArray();
    }

    private static byte[] ValueInfo(string name, int type, params long[] dims)
    {
        Proto shape = new();
        foreach (long d in dims)
        {
            shape.Bytes(1, new Proto().Varint(1, d).ToArray());
        }
        byte[] tensor = new Proto().Varint(1, type).Bytes(2, shape.ToArray()).ToArray();
        return new Proto().String(1, name).Bytes(2, new Proto().Bytes(1, tensor).ToArray()).ToArray();
    }

    private static byte[] Raw<T>(T[] values)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>Protobuf wire format: varint (type 0) and length-delimited (type 2) fields.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _stream = new();

        public Proto Varint(int field, long value)
        {
            WriteVarint((ulong)field << 3);
            WriteVarint((ulong)value);
            return this;
        }

        public Proto Bytes(int field, byte[] bytes)
        {
            WriteVarint(((ulong)field << 3) | 2);
            WriteVarint((ulong)bytes.Length);
            _stream.Write(bytes);
            return this;
        }

        public Proto String(int field, string text) => Bytes(field, Encoding.UTF8.GetBytes(text));

        public byte[] ToArray() => _stream.ToArray();

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _stream.WriteByte((byte)value);
        }
    }
}
