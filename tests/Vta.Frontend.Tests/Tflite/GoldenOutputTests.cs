using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Frontend.Tflite;
using Xunit.Abstractions;

namespace Vta.Frontend.Tests.Tflite;

/// <summary>
/// The reference executor on the real models against the golden outputs (made with ArmNN's reference backend, which
/// computes in float and rounds once per layer; the executor reproduces TFLite's integer arithmetic instead).
/// </summary>
public class GoldenOutputTests(ITestOutputHelper output)
{
    [Fact]
    public void ResNet8MatchesTheGoldenWithinOneLsbAndSaysCat()
    {
        Graph graph = TfliteImporter.ImportFile(TestModels.PathOf(TestModels.ResNet8));
        int[] actual = Run(graph, "golden/ic_resnet8_chelsea32.in.s8");
        int[] golden = TestModels.Bytes("golden/ic_resnet8_chelsea32.out.s8").Select(b => (int)(sbyte)b).ToArray();

        (int maxDiff, int differing) = Compare(actual, golden);
        output.WriteLine($"ResNet-8: output [{string.Join(",", actual)}], golden [{string.Join(",", golden)}]: max |diff| {maxDiff}, {differing} of {golden.Length} differ");
        Assert.Equal(3, TestModels.ArgMax(actual));
        Assert.True(maxDiff <= 1, $"max |diff| {maxDiff}");
    }

    /// <summary>
    /// MobileNetV2 uint8: the class and the order of the top three agree with the golden, but the top score is 208
    /// where ArmNN says 195. This is arithmetic, not a bug: TFLite rounds twice per requantization (doubling high
    /// multiply, then rounding shift), ArmNN once in float, and this model amplifies one-LSB differences tens of
    /// times per layer (see <see cref="ArmnnStyleFloatRoundingComesCloserToTheGolden"/>).
    /// </summary>
    [Fact]
    public void MobileNetV2ClassifiesTheCatAndStaysNearTheGolden()
    {
        Graph graph = TfliteImporter.ImportFile(TestModels.PathOf(TestModels.MobileNetV2));
        int[] actual = Run(graph, "golden/mnv2q_resized_cat.in.u8");
        int[] golden = TestModels.Bytes("golden/mnv2q_resized_cat.out.u8").Select(b => (int)b).ToArray();

        (int maxDiff, int differing) = Compare(actual, golden);
        output.WriteLine($"MobileNetV2: max |diff| {maxDiff}, {differing} of {golden.Length} bytes differ");
        foreach (int i in Top(golden, 5))
        {
            output.WriteLine($"  class {i}: executor {actual[i]}, golden {golden[i]}");
        }
        Assert.Equal(286, TestModels.ArgMax(actual));
        Assert.Equal(Top(golden, 3), Top(actual, 3));
        // Measured: 13 at class 286 (208 vs 195), 4 bytes differ. Fail if this ever grows.
        Assert.True(maxDiff <= 13, $"max |diff| {maxDiff}");
        Assert.True(differing <= 4, $"{differing} bytes differ");
    }

    /// <summary>
    /// Evidence for the MobileNet gap: the same graph rewritten to ArmNN's scheme (float math on dequantized values,
    /// quantize-dequantize at every node output) matches ResNet-8 exactly and comes within 4 of MobileNet's golden;
    /// what remains is float summation order amplified by the model.
    /// </summary>
    [Fact]
    public void ArmnnStyleFloatRoundingComesCloserToTheGolden()
    {
        Graph resnet = FakeQuantized(TfliteImporter.ImportFile(TestModels.PathOf(TestModels.ResNet8)));
        int[] golden8 = TestModels.Bytes("golden/ic_resnet8_chelsea32.out.s8").Select(b => (int)(sbyte)b).ToArray();
        Assert.Equal(golden8, Run(resnet, "golden/ic_resnet8_chelsea32.in.s8"));

        Graph mobilenet = FakeQuantized(TfliteImporter.ImportFile(TestModels.PathOf(TestModels.MobileNetV2)));
        int[] golden = TestModels.Bytes("golden/mnv2q_resized_cat.out.u8").Select(b => (int)b).ToArray();
        (int maxDiff, int differing) = Compare(Run(mobilenet, "golden/mnv2q_resized_cat.in.u8"), golden);
        output.WriteLine($"MobileNetV2 with ArmNN-style float rounding: max |diff| {maxDiff}, {differing} differ");
        Assert.True(maxDiff <= 4, $"max |diff| {maxDiff}");
    }

    [Fact]
    public void KeywordSpottingRunsOnZeroAndRandomMfccs()
    {
        Graph graph = TfliteImporter.ImportFile(TestModels.PathOf(TestModels.KeywordSpotting));
        TensorType inputType = graph.TypeOf(graph.Inputs[0]);
        Assert.Equal(new Shape(1, 49, 10, 1), inputType.Shape);
        Random random = new(1234);
        sbyte[][] inputs = [new sbyte[490], Enumerable.Range(0, 490).Select(_ => (sbyte)random.Next(-128, 128)).ToArray()];
        foreach (sbyte[] data in inputs)
        {
            Tensor result = ReferenceExecutor.Run(graph, new Dictionary<string, Tensor> { [graph.Inputs[0]] = Tensor.FromArray(inputType.Shape, data) })[graph.Outputs[0]];
            Assert.Equal(new Shape(1, 12), result.Shape);
            Assert.Equal(DataType.Int8, result.DType);
            float total = result.Dequantize().Sum();
            output.WriteLine($"KWS: [{string.Join(",", result.As<sbyte>())}], probabilities sum to {total}");
            Assert.InRange(total, 0.9f, 1.1f);
        }
    }

    private static int[] Run(Graph graph, string inputFile)
    {
        Tensor input = TestModels.InputFromFile(graph, inputFile);
        return ReferenceExecutor.Run(graph, new Dictionary<string, Tensor> { [graph.Inputs[0]] = input })[graph.Outputs[0]].ToInt32Values();
    }

    private static (int MaxDiff, int Differing) Compare(int[] actual, int[] golden)
    {
        Assert.Equal(golden.Length, actual.Length);
        int[] diffs = actual.Zip(golden, (a, g) => Math.Abs(a - g)).ToArray();
        return (diffs.Max(), diffs.Count(d => d != 0));
    }

    private static int[] Top(int[] values, int k) =>
        Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(k).ToArray();

    /// <summary>The graph in float with quantize-dequantize after every node: ArmNN CpuRef's way of running a quantized model.</summary>
    private static Graph FakeQuantized(Graph graph)
    {
        GraphBuilder b = new(graph.Name + "_fake_quant");
        string input = graph.Inputs[0];
        b.AddInput(input + "/q", graph.TypeOf(input));
        b.AddNode("dequantize_input", new Dequantize(), [input + "/q"], input);
        foreach ((string name, Tensor c) in graph.Constants)
        {
            b.AddConstant(name, c.Quant is null ? c : Tensor.FromArray(c.Shape, c.Dequantize()));
        }
        foreach (Node n in graph.Nodes)
        {
            TensorType type = graph.TypeOf(n.Output);
            b.AddNode(n.Name, n.Op, n.Inputs, n.Output + "/float");
            b.AddNode(n.Name + "/quantize", new Quantize(type.DType), [n.Output + "/float"], n.Output + "/q", type.Quant);
            b.AddNode(n.Name + "/dequantize", new Dequantize(), [n.Output + "/q"], n.Output);
        }
        b.AddOutput(graph.Outputs[0] + "/q");
        return b.Build();
    }
}
