using Vta.Hardware.Config;
using Vta.Runtime.Commands;
using Vta.Runtime.Demos;
using Vta.Runtime.Devices;
using Vta.Sim.Timing;

namespace Vta.Runtime.Tests;

/// <summary>The tutorial kernels on the timing device: the behavioral device's results and counters, plus cycles.</summary>
public class TimingDeviceTests
{
    [Fact]
    public void DemosGiveTheSameOutputsAndCountersAsTheBehavioralDevice()
    {
        foreach (var demo in new Func<IVtaDevice, DemoResult>[] { d => MatmulDemo.Run(d, seed: 3), d => Conv2dDemo.Run(d, seed: 4) })
        {
            var sim = demo(new SimDevice(VtaConfig.Default));
            var device = new TimingDevice(VtaConfig.Default);
            var timed = demo(device);

            Assert.True(timed.Passed, $"{timed.Name}: {timed.Mismatches} mismatches on the timing device");
            Assert.Equal(sim.Counters.ToList(), timed.Counters.ToList());
            var total = device.TotalReport;
            Assert.Equal(device.RunReports.Count, total.Runs);
            Assert.True(total.Runs >= 1);
            Assert.Equal(device.RunReports.Sum(r => r.Cycles), total.Cycles);
            // One useful cycle per non-reset GEMM uop: the GEMM counter.
            Assert.Equal(timed.Counters.GemmCounter, total.GemmUsefulCycles);
            Assert.True(total.Cycles > total.Unit(TimingUnit.Compute).Busy / 2);
            foreach (var u in total.Units)
            {
                Assert.Equal(total.Cycles, u.Total);
            }
        }
    }

    /// <summary>
    /// The conv2d kernel with its two virtual threads against the same kernel in serial mode (every instruction waits for
    /// the one before): overlapping loads with GEMMs raises the GEMM unit's utilization (TVM's paper: 70% → 88%).
    /// </summary>
    [Fact]
    public void DoubleBufferingRaisesGemmUtilization()
    {
        var pipelined = new TimingDevice(VtaConfig.Default);
        var serial = new TimingDevice(VtaConfig.Default);
        Assert.True(Conv2dDemo.Run(pipelined, seed: 5).Passed);
        Assert.True(Conv2dDemo.Run(serial, seed: 5, new CommandQueueOptions { ForceSerial = true }).Passed);

        TimingReport p = pipelined.TotalReport, s = serial.TotalReport;
        Assert.Equal(s.GemmUsefulCycles, p.GemmUsefulCycles);
        Assert.True(p.GemmUtilization > s.GemmUtilization, $"double-buffered {p.GemmUtilization:P1}, serial {s.GemmUtilization:P1}");
        Assert.True(p.Cycles < s.Cycles);
        // In serial mode the load module's work is never hidden: compute waits on tokens for at least all of it.
        Assert.True(s.Unit(TimingUnit.Compute).StalledOnToken >= s.Unit(TimingUnit.Load).Busy);
        Assert.True(p.Unit(TimingUnit.Compute).StalledOnToken < s.Unit(TimingUnit.Compute).StalledOnToken);
    }

    [Fact]
    public void RunReportsCyclesAndClearResetsTheTiming()
    {
        using var device = new TimingDevice(VtaConfig.Default);
        Assert.Equal("timing", device.Name);
        var result = RunOneGemm(device);
        Assert.Equal(device.LastReport!.Cycles, result.Cycles);
        Assert.True(result.Cycles > 0);
        Assert.NotNull(device.LastTrace);

        RunOneGemm(device);
        Assert.Equal(2, device.TotalReport.Runs);
        Assert.Equal(2 * result.Cycles, device.TotalReport.Cycles);
        device.ClearCounters();
        Assert.Equal((0, 0L), (device.TotalReport.Runs, device.TotalReport.Cycles));
        Assert.Empty(device.RunReports);
        Assert.Equal(0, device.ReadCounters().GemmCounter);
    }

    private static DeviceRunResult RunOneGemm(TimingDevice device)
    {
        var encoder = new Vta.Hardware.Isa.InsnEncoder(device.Config);
        var insns = device.Allocate(64);
        device.CopyIn(insns, 0, encoder.EncodeAll(
        [
            new Vta.Hardware.Isa.GemmInsn(Vta.Hardware.Isa.DepFlags.None, false, 0, 1, 4, 4, 0, 0, 0, 0, 0, 0),
            new Vta.Hardware.Isa.FinishInsn(Vta.Hardware.Isa.DepFlags.None),
        ]));
        var result = device.Run(insns, 2);
        device.Free(insns);
        return result;
    }
}
