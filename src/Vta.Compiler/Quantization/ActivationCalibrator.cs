using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;

namespace Vta.Compiler.Quant;

/// <summary>
/// Runs a float graph on each calibration input with the reference executor and gathers a histogram of |x| for every
/// float value (graph inputs and node outputs), in the order of the calibration set, so the result is deterministic.
/// </summary>
public static class ActivationCalibrator
{
    public static Dictionary<string, AbsHistogram> Collect(Graph graph, IReadOnlyList<IReadOnlyDictionary<string, Tensor>> calibration)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(calibration);
        string[] tracked = [.. graph.Inputs.Concat(graph.Nodes.SelectMany(n => n.Outputs)).Where(v => graph.TypeOf(v).DType == DataType.Float32)];
        Dictionary<string, AbsHistogram> histograms = tracked.ToDictionary(v => v, _ => new AbsHistogram());
        for (int i = 0; i < calibration.Count; i++)
        {
            Dictionary<string, Tensor> values;
            try
            {
                values = ReferenceExecutor.RunAll(graph, calibration[i]);
            }
            catch (GraphException e)
            {
                throw new ArgumentException($"calibration input {i}: {e.Message}", nameof(calibration), e);
            }
            foreach (string v in tracked)
            {
                try
                {
                    histograms[v].Add(values[v].As<float>());
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"calibration input {i}, value '{v}': {e.Message}", nameof(calibration), e);
                }
            }
        }
        return histograms;
    }
}
