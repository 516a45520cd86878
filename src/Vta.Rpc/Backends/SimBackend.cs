using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Backends;

/// <summary>
/// The simulated board: the "FPGA" is the behavioral simulator (sim) or the timing simulator (timing), and programming
/// a simulator bitstream gives it the configuration the bitstream carries. Any configuration can be taken on.
/// </summary>
public sealed class SimBackend : IBoardBackend
{
    private SimBackend(string name) => Name = name;

    public string Name { get; }

    public IReadOnlyCollection<BitstreamKind> BitstreamKinds { get; } = [BitstreamKind.Sim];

    public static SimBackend Behavioral() => new("sim");

    public static SimBackend Timing() => new("timing");

    public void Program(string path, BitstreamImage image, VtaConfig config)
    {
        if (image.Kind != BitstreamKind.Sim)
        {
            throw new RpcFault(Grpc.Core.StatusCode.InvalidArgument, "config",
                $"the {Name} backend programs VTA simulator bitstreams; this is a {image.Describe()}");
        }
    }

    public void CheckReconfigure(VtaConfig? programmed, VtaConfig requested)
    {
    }

    public IVtaDevice CreateDevice(VtaConfig config) => Name == "timing" ? new TimingDevice(config) : new SimDevice(config);

    public DeviceRunResult Run(IVtaDevice device, DeviceBuffer insns, int insnCount, CancellationToken stop)
    {
        var program = new CancellableProgram(InsnStreamReader.Read(device, insns, insnCount), stop);
        switch (device)
        {
            case SimDevice sim:
                sim.Simulator.Run(program);
                return new DeviceRunResult(insnCount);
            case TimingDevice timing:
                var report = timing.Simulator.Run(program, insns.PhysAddr);
                return new DeviceRunResult(insnCount, report.Cycles);
            default:
                throw new InvalidOperationException($"device '{device.Name}' was not made by the {Name} backend");
        }
    }

    public void Dispose()
    {
    }
}
