using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Xunit.Abstractions;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// The multiply form (model's own weights, ALU MUL; only on targets with MUL) on the real TFLite models: every layer takes
/// it, the VTA path equals the plain int8 executor bit for bit, and each layer alone, fed the model's own input, is at
/// most one output step from the model's own arithmetic (the form's error bound is below ½ step before the rounding).
/// </summary>
public class MultiplyFormTests(ITestOutputHelper output)
{
    private static readonly VtaConfig Sim = VtaConfig.Create("sim");

    [Theory]
    [InlineData(SharedModels.MobileNetV2, "mnv2q_resized_cat.in.u8", "mnv2q_resized_cat.out.u8")]
    [InlineData(SharedModels.ResNet8, "ic_resnet8_chelsea32.in.s8", "ic_resnet8_chelsea32.out.s8")]
    public void MultiplyFormRunsBitExactAndEachSuchLayerAloneIsWithinOneStepOfTheModel(string model, string input, string golden)
    {
        var c = new ModelCase(model, input, golden, Sim);
        output.WriteLine(c.Report(model));
        Assert.Empty(c.MismatchingLayers());
        Assert.Equal(c.Plain[c.Source.Outputs[0]].ToInt32Values(), c.VtaOutput.ToInt32Values());
        Dictionary<string, Tensor> own = ReferenceExecutor.RunAll(c.Source, c.Inputs);
        int worst = 0, multiply = 0;
        foreach (VtaLayer layer in c.Compiled.VtaLayers)
        {
            // A layer whose w − zw leaves int8 (uint8 weights with a zero point far from 128) keeps the folded form.
            bool isMultiply = c.Compiled.Graph.TypeOf(layer.Node.Inputs[3]).Shape.Rank == 2;
            int[] w = c.Source.ConstantOf(c.Source.GetNode(layer.Node.Name).Inputs[1])!.ToInt32Values();
            Quantization wq = c.Source.ConstantOf(c.Source.GetNode(layer.Node.Name).Inputs[1])!.Quant!;
            bool fits = wq.IsPerChannel || w.All(v => v - wq.ZeroPoints[0] is >= sbyte.MinValue and <= sbyte.MaxValue);
            if (!wq.IsPerChannel)
            {
                Assert.Equal(fits, isMultiply);
            }

            (int diff, int count) = AloneVersusOwn(c.Compiled.Graph, layer.Node, own);
            output.WriteLine($"  {layer.Node.Name} ({(isMultiply ? "multiply" : "folded")}): alone max |diff| {diff}, {count} differ");
            if (isMultiply)
            {
                multiply++;
                worst = Math.Max(worst, diff);
            }
        }

        output.WriteLine($"  {multiply} of {c.Compiled.VtaLayers.Count} layers in the multiply form");
        Assert.True(multiply > 0);
        Assert.True(worst <= 1, $"a multiply-form layer alone is {worst} steps from the model's own arithmetic");
    }

    /// <summary>The node run alone on the model's own input, against the model's own output of that layer (both as int8).</summary>
    private static (int Max, int Count) AloneVersusOwn(Graph rewritten, Node node, Dictionary<string, Tensor> own)
    {
        string source = Strip(node.Inputs[0]);
        string outName = Strip(node.Output);
        var b = new GraphBuilder("alone");
        TensorType inType = rewritten.TypeOf(node.Inputs[0]);
        b.AddInput("x", inType);
        for (int i = 1; i < node.Inputs.Count; i++)
        {
            b.AddConstant(node.Inputs[i], rewritten.ConstantOf(node.Inputs[i])!);
        }

        b.AddNode(node.Name, node.Op, ["x", .. node.Inputs.Skip(1)], "y", rewritten.TypeOf(node.Output).Quant);
        b.AddOutput("y");
        Tensor x = own[source];
        int[] xs = x.ToInt32Values();
        int shiftIn = x.DType == DataType.UInt8 ? -128 : 0;
        var feed = new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(inType.Shape, xs.Select(v => (sbyte)(v + shiftIn)).ToArray()) };
        int[] y = ReferenceExecutor.Run(b.Build(), feed)["y"].ToInt32Values();
        Tensor expected = own[outName];
        int shiftOut = expected.DType == DataType.UInt8 ? -128 : 0;
        int[] e = expected.ToInt32Values();
        int max = 0, count = 0;
        for (int i = 0; i < y.Length; i++)
        {
            int d = Math.Abs(y[i] - (e[i] + shiftOut));
            max = Math.Max(max, d);
            count += d != 0 ? 1 : 0;
        }

        return (max, count);
    }

    private static string Strip(string value) => value.EndsWith("/int8", StringComparison.Ordinal) ? value[..^5] : value;
}
