using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Tests.Cpu;

/// <summary>Runs one op through a one-node graph, so tests exercise the builder, the executor and the kernel together.</summary>
internal static class KernelTestGraphs
{
    public static Tensor RunOp(Op op, Quantization? outputQuant, params Tensor[] inputs)
    {
        GraphBuilder b = new("op");
        List<string> names = [];
        Dictionary<string, Tensor> feeds = [];
        for (int i = 0; i < inputs.Length; i++)
        {
            string name = $"in{i}";
            names.Add(name);
            if (i == 0)
            {
                b.AddInput(name, inputs[i].Type);
                feeds[name] = inputs[i];
            }
            else
            {
                b.AddConstant(name, inputs[i]);
            }
        }
        b.AddNode("node", op, names, "out", outputQuant);
        b.AddOutput("out");
        return ReferenceExecutor.Run(b.Build(), feeds)["out"];
    }

    public static Tensor F(Shape shape, params float[] values) => Tensor.FromArray(shape, values);
}
