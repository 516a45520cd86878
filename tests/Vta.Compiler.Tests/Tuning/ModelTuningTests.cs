using Vta.Compiler.Models;
using Vta.Compiler.Tests.Models;
using Vta.Compiler.Tuning;
using Vta.Frontend.Tflite;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Tuning;

/// <summary>A real pre-quantized model (ResNet-8) tuned, then compiled with its records as 'vta compile --tuning-records' will.</summary>
public class ModelTuningTests
{
    [Fact]
    public void ACompiledModelTakesEveryRecordedTilingAndStillMatchesThePlainExecutor()
    {
        var config = VtaConfig.Default;
        var graph = TfliteImporter.ImportFile(SharedModels.PathOf(SharedModels.ResNet8));
        var baseline = ModelCompiler.Compile(graph, config);
        var tasks = TuningTasks.FromModel(baseline);
        Assert.Equal(baseline.VtaLayers.Count, tasks.Sum(t => t.Count));
        Assert.Equal(baseline.VtaLayers.Select(l => l.Node.Name).Order(), tasks.SelectMany(t => t.Layers).Order());

        var result = new TilingTuner(config, new TuningOptions { Trials = 4, Seed = 2 }).Tune(tasks);
        var policy = result.ToRecords("resnet8").PolicyFor(config);
        var tuned = ModelCompiler.Compile(graph, config, new ModelCompileOptions { TilingPolicy = policy });

        Assert.Equal(baseline.VtaLayers.Count, tuned.VtaLayers.Count);
        Assert.Equal((tuned.VtaLayers.Count, 0), (policy.Hits, policy.Misses));
        foreach (var layer in tuned.VtaLayers)
        {
            var record = policy.Records.Find(WorkloadKey.Of(layer.Plan.Problem, layer.Plan.Epilogue));
            Assert.NotNull(record);
            Assert.Equal(record.Tiling, layer.Plan.Tiling);
        }

        Assert.True(result.BestCycles <= result.DefaultCycles);
        Assert.Contains(result.Layers, l => l.BestTiling != l.DefaultTiling);

        var inputs = SharedModels.GoldenInput(graph, "ic_resnet8_chelsea32.in.s8");
        using var device = new SimDevice(config);
        var run = tuned.Run(device, inputs, new ModelRunOptions { KeepValues = true });
        var plain = Vta.Compiler.Cpu.ReferenceExecutor.RunAll(tuned.Graph, inputs);
        foreach (var layer in tuned.VtaLayers)
        {
            Assert.Equal(plain[layer.Node.Output].As<sbyte>(), run.Values![layer.Node.Output].As<sbyte>());
        }
    }
}
