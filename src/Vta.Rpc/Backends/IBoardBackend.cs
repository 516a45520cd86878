using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Backends;

/// <summary>
/// What stands behind an agent: the simulators, or a real board. The agent owns sessions, limits and buffers;
/// a backend programs bitstreams, makes devices for configurations and runs streams so that they can be stopped.
/// </summary>
public interface IBoardBackend : IDisposable
{
    /// <summary>"sim", "timing" or "pynq".</summary>
    string Name { get; }

    /// <summary>The bitstream kinds this backend can program.</summary>
    IReadOnlyCollection<BitstreamKind> BitstreamKinds { get; }

    /// <summary>
    /// Programs a checked bitstream stored at <paramref name="path"/>; <paramref name="config"/> is the configuration
    /// it was built for (already checked against a container's). Called with no device alive.
    /// </summary>
    void Program(string path, BitstreamImage image, VtaConfig config);

    /// <summary>Refuses a configuration the hardware cannot take (TVM's reconfig_runtime on a fixed bitstream).</summary>
    void CheckReconfigure(VtaConfig? programmed, VtaConfig requested);

    IVtaDevice CreateDevice(VtaConfig config);

    /// <summary>Runs a stream on a device this backend made; throws <see cref="OperationCanceledException"/> once <paramref name="stop"/> fires.</summary>
    DeviceRunResult Run(IVtaDevice device, DeviceBuffer insns, int insnCount, CancellationToken stop);
}
