using Vta.Compiler.Models;
using Vta.Compiler.Tests.Models;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;
using Vta.Sim;
using Vta.Sim.Timing;

namespace Vta.Compiler.Tests.Reports;

/// <summary>
/// ResNet-8 (MLPerf Tiny, int8) compiled once and run once on the timing device and once on the behavioral simulator,
/// with the devices' own totals kept as the independent reference the reports are checked against.
/// </summary>
public sealed class ReportRuns
{
    public ReportRuns()
    {
        Model = ModelCompiler.Compile(Vta.Frontend.Tflite.TfliteImporter.ImportFile(SharedModels.PathOf(SharedModels.ResNet8)), VtaConfig.Default);
        var inputs = SharedModels.GoldenInput(Model.Source, "ic_resnet8_chelsea32.in.s8");
        using (var timing = new TimingDevice(VtaConfig.Default))
        {
            timing.ClearCounters();
            Timed = Model.Run(timing, inputs);
            DeviceTotal = timing.TotalReport;
            DeviceCounters = timing.ReadCounters();
        }

        using var sim = new SimDevice(VtaConfig.Default);
        Untimed = Model.Run(sim, inputs);
    }

    public CompiledModel Model { get; }

    public ModelRunResult Timed { get; }

    /// <summary>The timing device's own accumulated report after the run (not taken from the layer records).</summary>
    public TimingReport DeviceTotal { get; }

    public SimCounters DeviceCounters { get; }

    public ModelRunResult Untimed { get; }
}
