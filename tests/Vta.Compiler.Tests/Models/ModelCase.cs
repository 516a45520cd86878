using System.Diagnostics;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Frontend.Tflite;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Models;

/// <summary>
/// One real model on one configuration, computed once and shared by a test class: the imported graph on the reference
/// executor (the model's own arithmetic), the compiled model's rewritten graph on the reference executor (the plain
/// int8 executor), and the compiled model on the behavioral simulator with every value kept.
/// </summary>
public sealed class ModelCase
{
    public ModelCase(string model, string goldenInput, string goldenOutput, VtaConfig config, ModelCompileOptions? options = null)
    {
        Source = TfliteImporter.ImportFile(SharedModels.PathOf(model));
        Inputs = SharedModels.GoldenInput(Source, goldenInput);
        Golden = SharedModels.GoldenOutput(Source, goldenOutput);
        var clock = Stopwatch.StartNew();
        Compiled = ModelCompiler.Compile(Source, config, options);
        CompileSeconds = clock.Elapsed.TotalSeconds;
        Original = ReferenceExecutor.Run(Source, Inputs)[Source.Outputs[0]];
        Plain = ReferenceExecutor.RunAll(Compiled.Graph, Inputs);
        using var device = new SimDevice(config);
        Vta = Compiled.Run(device, Inputs, new ModelRunOptions { KeepValues = true });
    }

    public Graph Source { get; }

    public Dictionary<string, Tensor> Inputs { get; }

    public Tensor Golden { get; }

    public CompiledModel Compiled { get; }

    public double CompileSeconds { get; }

    /// <summary>The output of the imported graph on the reference executor.</summary>
    public Tensor Original { get; }

    /// <summary>Every value of the rewritten graph on the reference executor.</summary>
    public Dictionary<string, Tensor> Plain { get; }

    public ModelRunResult Vta { get; }

    public Tensor VtaOutput => Vta.Outputs[Source.Outputs[0]];

    /// <summary>Layers whose VTA output differs from the plain int8 executor's, with the number of differing elements.</summary>
    public IReadOnlyList<string> MismatchingLayers() =>
    [
        .. Compiled.VtaLayers
            .Select(l => (l.Node.Name, Count: Differences(Vta.Values![l.Node.Output], Plain[l.Node.Output])))
            .Where(p => p.Count != 0)
            .Select(p => $"{p.Name}: {p.Count} elements differ"),
    ];

    /// <summary>Top-5 lists, agreement and errors against the golden and the model's own arithmetic, and the counters.</summary>
    public string Report(string name)
    {
        OutputComparison vsGolden = OutputComparison.Compare(VtaOutput, Golden);
        OutputComparison vsOriginal = OutputComparison.Compare(VtaOutput, Original);
        OutputComparison originalVsGolden = OutputComparison.Compare(Original, Golden);
        string text = $"{name} on {Compiled.Config.Name}: {Compiled}; compiled in {CompileSeconds:0.00} s, ran in {Vta.Seconds:0.00} s " +
            $"(VTA steps {Vta.VtaSeconds:0.00} s, CPU steps {Vta.CpuSeconds:0.00} s)\n" +
            $"  top-5 VTA      {Top(VtaOutput)}\n  top-5 original {Top(Original)}\n  top-5 golden   {Top(Golden)}\n" +
            $"  VTA vs golden:   top-1 {(vsGolden.Top1Agrees ? "agrees" : "differs")}, top-5 overlap {vsGolden.TopKOverlap}/5, max |diff| {vsGolden.MaxAbsDiff} LSB ({vsGolden.Differing} differ)\n" +
            $"  VTA vs original: top-1 {(vsOriginal.Top1Agrees ? "agrees" : "differs")}, top-5 overlap {vsOriginal.TopKOverlap}/5, max |diff| {vsOriginal.MaxAbsDiff} LSB ({vsOriginal.Differing} differ)\n" +
            $"  original vs golden: max |diff| {originalVsGolden.MaxAbsDiff} LSB\n" +
            $"  counters: {Vta.Counters}";
        return text;
    }

    private static string Top(Tensor t)
    {
        int[] v = t.ToInt32Values();
        return string.Join(", ", OutputComparison.TopIndices([.. v.Select(x => (float)x)], 5).Select(i => $"{i}:{v[i]}"));
    }

    private static int Differences(Tensor a, Tensor b)
    {
        int[] x = a.ToInt32Values(), y = b.ToInt32Values();
        return x.Length != y.Length ? Math.Max(x.Length, y.Length) : x.Zip(y).Count(p => p.First != p.Second);
    }
}
