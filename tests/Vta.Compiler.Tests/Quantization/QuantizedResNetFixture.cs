using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Quant;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Compiler.Tests.Quant;

/// <summary>
/// zoo:resnet18 at 32 x 32 (seed 0), quantized once per scheme and shared by a test class: the calibration set and the
/// test input are seeded N(0, 1) images, the distribution the zoo's batch norms were calibrated on.
/// </summary>
public sealed class QuantizedResNetFixture
{
    public const int ImageSize = 32;
    public const int CalibrationImages = 6;

    private readonly Lazy<QuantizedModel> _percentile;
    private readonly Lazy<QuantizedModel> _kl;

    public QuantizedResNetFixture()
    {
        Float = ModelZoo.Zoo.Build("resnet18", seed: 0, batch: 1, imageSize: ImageSize);
        Calibration = [.. Enumerable.Range(100, CalibrationImages).Select(s => (IReadOnlyDictionary<string, Tensor>)QuantTestData.Inputs(Float, s))];
        Input = QuantTestData.Inputs(Float, 7);
        FloatOutput = ReferenceExecutor.Run(Float, Input)[Float.Outputs[0]].As<float>();
        Tvm = FloatQuantizer.Quantize(Float, new QuantizeOptions());
        Compiled = ModelCompiler.Compile(Tvm.Graph, VtaConfig.Default);
        using var device = new SimDevice(VtaConfig.Default);
        Vta = Compiled.Run(device, Input, new ModelRunOptions { KeepValues = true });
        _percentile = new(() => FloatQuantizer.Quantize(Float, QuantizeOptions.Parse("percentile") with { Calibration = Calibration }));
        _kl = new(() => FloatQuantizer.Quantize(Float, QuantizeOptions.Parse("kl") with { Calibration = Calibration }));
    }

    public Graph Float { get; }

    public IReadOnlyList<IReadOnlyDictionary<string, Tensor>> Calibration { get; }

    public Dictionary<string, Tensor> Input { get; }

    public float[] FloatOutput { get; }

    public QuantizedModel Tvm { get; }

    public CompiledModel Compiled { get; }

    public ModelRunResult Vta { get; }

    public QuantizedModel Percentile => _percentile.Value;

    public QuantizedModel Kl => _kl.Value;

    /// <summary>The float output of a quantized graph on the reference executor.</summary>
    public float[] OutputOf(QuantizedModel q) => ReferenceExecutor.Run(q.Graph, Input)[Float.Outputs[0]].As<float>();
}
