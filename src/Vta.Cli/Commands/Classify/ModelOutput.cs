using Vta.Compiler.Graphs;
using Vta.Frontend.Labels;

namespace Vta.Cli.Commands.Classify;

/// <summary>
/// How to read a classifier's (first) output: its values in real units (dequantized), one LSB in those units when the
/// output is quantized or comes straight out of a DequantizeLinear (ONNX int8 models), and whether the values are
/// already probabilities (the output is a softmax) or logits that scores take a softmax of.
/// </summary>
internal sealed class ModelOutput
{
    private ModelOutput(string name, int classes, double? lsb, bool probabilities)
    {
        Name = name;
        Classes = classes;
        Lsb = lsb;
        Probabilities = probabilities;
    }

    public string Name { get; }

    public int Classes { get; }

    /// <summary>One quantization step of the output in its real units, when it has one.</summary>
    public double? Lsb { get; }

    public bool Probabilities { get; }

    public static ModelOutput For(Graph graph, string model)
    {
        string name = graph.Outputs[0];
        TensorType t = graph.TypeOf(name);
        int classes = t.Shape.ElementCount;
        if (t.Rank < 1 || classes != t.Shape[t.Rank - 1] || classes < 2)
        {
            throw new InvalidDataException($"{model}: output '{name}' is {t}; classify reads a vector of class scores [1,N]");
        }

        Node? producer = graph.ProducerOf(name);
        Quantization? quant = t.Quant ?? (producer?.Op is Dequantize ? graph.TypeOf(producer.Inputs[0]).Quant : null);
        double? lsb = quant is { IsPerChannel: false } ? quant.Scales[0] : null;
        return new ModelOutput(name, classes, lsb, producer?.Op is Softmax);
    }

    /// <summary>Scores to rank and print: the real values, through a softmax when they are logits.</summary>
    public float[] Scores(Tensor output)
    {
        float[] values = output.Dequantize();
        return Probabilities ? values : TopK.Softmax(values);
    }
}
