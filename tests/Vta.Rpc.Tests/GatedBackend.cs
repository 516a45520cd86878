using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Rpc.Backends;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Tests;

/// <summary>The behavioral simulator, except that while <see cref="Hold"/> is set a run waits until it is stopped: a run "in the middle".</summary>
internal sealed class GatedBackend : IBoardBackend
{
    private readonly SimBackend _sim = SimBackend.Behavioral();

    public volatile bool Hold;

    /// <summary>While holding, ignore the stop token for this long (a run stuck inside one instruction).</summary>
    public TimeSpan Deaf { get; set; }

    public string Name => "sim";

    public IReadOnlyCollection<BitstreamKind> BitstreamKinds => _sim.BitstreamKinds;

    public void Program(string path, BitstreamImage image, VtaConfig config) => _sim.Program(path, image, config);

    public void CheckReconfigure(VtaConfig? programmed, VtaConfig requested) => _sim.CheckReconfigure(programmed, requested);

    public IVtaDevice CreateDevice(VtaConfig config) => _sim.CreateDevice(config);

    public DeviceRunResult Run(IVtaDevice device, DeviceBuffer insns, int insnCount, CancellationToken stop)
    {
        if (Hold)
        {
            Thread.Sleep(Deaf);
            stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            stop.ThrowIfCancellationRequested();
        }

        return _sim.Run(device, insns, insnCount, stop);
    }

    public void Dispose() => _sim.Dispose();
}
