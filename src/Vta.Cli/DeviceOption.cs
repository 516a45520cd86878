using System.CommandLine;
using Vta.Hardware.Config;
using Vta.Rpc.Client;
using Vta.Runtime.Devices;

namespace Vta.Cli;

/// <summary>The --device option: where a command runs its instruction streams (the local simulators or a board over RPC).</summary>
internal static class DeviceOption
{
    public static Option<string> Create() => new("--device")
    {
        Description = "Where to run: sim (the behavioral simulator), timing (the timing simulator) or rpc://HOST:PORT "
            + "(a board agent, see 'vta rpc-server'; rpc://KEY@HOST:PORT for an agent with a key)",
        HelpName = "DEVICE",
        DefaultValueFactory = _ => "sim",
    };

    /// <summary>Opens the device named by <paramref name="spec"/> for <paramref name="config"/>; a remote board is held until disposed.</summary>
    public static IVtaDevice Open(string? spec, VtaConfig config, TextWriter? diagnostics = null) => spec switch
    {
        null or "" or "sim" => new SimDevice(config),
        "timing" => new TimingDevice(config),
        _ when RpcAddress.IsRpc(spec) => RemoteDevice.Connect(spec, config, new RemoteDeviceOptions
        {
            Queued = ahead => diagnostics?.WriteLine($"vta: waiting for {spec}: {ahead} client(s) ahead"),
        }),
        _ => throw new FormatException($"unknown device '{spec}': expected sim, timing or rpc://HOST:PORT"),
    };
}
