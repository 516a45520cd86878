using Vta.Compiler.Cpu;
using Vta.Compiler.Models;
using Vta.Compiler.Reports;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Vta.Sim.Timing;

namespace Vta.Cli.Commands.Classify;

/// <summary>What <c>vta classify</c> was asked to do; null files take the defaults from the models folder.</summary>
internal sealed record ClassifyRequest(string? Model, string? Input, string? Labels, string? ModelsFolder, int TopK, VtaConfig Config, string? Device,
    IReadOnlyList<string> CpuNodes, string CpuBackend = CpuBackends.LlvmName, string? Report = null, Action<string>? Warn = null, string? Requant = null);

/// <summary>What <c>vta classify</c> found, with the figures it reports.</summary>
internal sealed record ClassifyResult(ClassifyModel Model, ClassifyOutcome Outcome, string DeviceName, TimingReport? Timing)
{
    /// <summary>Import (with labels), compile, then the per-input times (input, run, vta, cpu, reference).</summary>
    public IReadOnlyDictionary<string, double> Seconds =>
        new Dictionary<string, double> { ["import"] = Model.ImportSeconds, ["compile"] = Model.CompileSeconds }.Concat(Outcome.Seconds).ToDictionary();
}

/// <summary>
/// The classification demo: find the model, input and labels (explicit paths, else the models search path), pick the
/// preprocessing from the model's input, compile for VTA, run on the device, and check the answer against the reference.
/// </summary>
internal static class ClassifyPipeline
{
    public const string DefaultModel = "imagenet/mobilenet_v2_1.0_224_quant.tflite";
    public const string DefaultImage = "images/chelsea.png";

    public static ClassifyResult Run(ClassifyRequest request)
    {
        var files = new ModelFiles(request.ModelsFolder);
        string input = files.Locate(request.Input ?? DefaultImage, "input");
        ImportedModel imported = ImportedModel.Import(request.Model ?? DefaultModel, request.Labels, files);
        imported.Input.CheckKind(input, imported.Path); // before the compile, so that a wrong file fails fast
        using ClassifyModel model = ClassifyModel.Compile(imported, files, request.Config, request.CpuNodes, request.Requant);
        using IVtaDevice device = DeviceOption.Open(request.Device, request.Config);
        ICpuBackend backend = CpuBackends.Create(request.CpuBackend, request.Warn);
        var options = new ModelRunOptions { PreparedCpu = model.Compiled.PrepareCpu(backend) };
        ClassifyOutcome outcome = model.Classify(input, device, request.TopK, options);
        if (request.Report is { } report)
        {
            RunReportWriter.Write(RunReport.Build(model.Compiled, outcome.Run, device.Name), report);
            request.Warn?.Invoke($"vta: wrote {report}");
        }

        return new ClassifyResult(model, outcome, device.Name, (device as TimingDevice)?.TotalReport);
    }
}
