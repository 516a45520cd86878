using Vta.Compiler.Graphs;
using Vta.Compiler.Llvm.Kernels;

namespace Vta.Compiler.Tests.Llvm;

public sealed class PoolTests
{
    public static TheoryData<string, DataType, DataLayout> Cases()
    {
        TheoryData<string, DataType, DataLayout> data = [];
        foreach (string kind in new[] { "max", "avg", "avg-incl", "avg-requant", "global" })
        {
            foreach (DataType type in new[] { DataType.Float32, DataType.Int8, DataType.UInt8 })
            {
                if (kind == "avg-requant" && type == DataType.Float32)
                {
                    continue;
                }
                data.Add(kind, type, DataLayout.Nhwc);
                data.Add(kind, type, DataLayout.Nchw);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesManagedKernel(string kind, DataType type, DataLayout layout)
    {
        LlvmFact.SkipUnlessAvailable();
        Random rng = new(kind.Length + (int)type);
        // ResNet-18's max pool (3×3/2 pad 1 on 112²×64) shrunk in channels; MobileNetV2's 7×7 average and global pools.
        (Op op, int size, int channels) = kind switch
        {
            "max" => ((Op)new MaxPool(new Size2d(3, 3), new Size2d(2, 2), new Pads2d(1, 1, 1, 1), layout, false, FusedActivation.Relu), 112, 16),
            "avg" => (new AvgPool(new Size2d(3, 3), new Size2d(2, 2), new Pads2d(1, 1, 1, 1), layout), 15, 24),
            "avg-incl" => (new AvgPool(new Size2d(3, 2), new Size2d(2, 1), new Pads2d(1, 0, 1, 1), layout, true), 9, 5),
            "avg-requant" => (new AvgPool(new Size2d(7, 7), Size2d.One, Pads2d.Zero, layout), 7, 1280),
            _ => (new GlobalAvgPool(layout), 7, 512),
        };
        Shape shape = layout.MakeShape(2, channels, size, size);
        Quantization q = Quantization.PerTensor(0.05f, type == DataType.UInt8 ? 120 : -5);
        Tensor x = type == DataType.Float32 ? LlvmTestData.RandomFloat(rng, shape, 4f) : LlvmTestData.RandomQuantized(rng, type, shape, q);
        TensorType outType = op.InferOutputs([x.Type])[0];
        if (kind == "avg-requant")
        {
            outType = outType.WithQuant(Quantization.PerTensor(0.031f, 7));
        }
        Tensor expected = LlvmTestData.Managed(op, outType, x);
        PreparedPool kernel = PreparedPool.TryCreate(op, x.Type, outType, out string? reason) ?? throw new InvalidOperationException(reason);
        Tensor actual = kernel.Run(x);
        if (type == DataType.Float32)
        {
            LlvmTestData.AssertClose(expected, actual, $"{kind} {layout}");
        }
        else
        {
            LlvmTestData.AssertSameIntegers(expected, actual, $"{kind} {type} {layout}");
        }
    }
}
