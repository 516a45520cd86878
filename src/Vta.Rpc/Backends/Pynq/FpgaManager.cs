using Grpc.Core;

namespace Vta.Rpc.Backends.Pynq;

/// <summary>
/// Linux's FPGA manager, as PYNQ drives it on Zynq: the configuration data goes to /lib/firmware/NAME.bin (header
/// stripped, 32-bit words byte-swapped), "0" (full bitstream) to fpga0/flags, NAME.bin to fpga0/firmware, which
/// programs the PL; fpga0/state then reads "operating". Both folders can be moved for tests.
/// </summary>
public sealed class FpgaManager(string managerDirectory = "/sys/class/fpga_manager/fpga0", string firmwareDirectory = "/lib/firmware")
{
    public string ManagerDirectory { get; } = managerDirectory;

    public string FirmwareDirectory { get; } = firmwareDirectory;

    /// <summary>Programs a full bitstream; <paramref name="name"/> is a checked file name without extension.</summary>
    public void Program(string name, byte[] bin)
    {
        if (!File.Exists(Path.Combine(ManagerDirectory, "firmware")))
        {
            throw new RpcFault(StatusCode.FailedPrecondition, "runtime",
                $"no FPGA manager at {ManagerDirectory}: the pynq backend needs a Zynq board running Linux with the FPGA manager");
        }

        string binName = name + ".bin";
        Directory.CreateDirectory(FirmwareDirectory);
        File.WriteAllBytes(Path.Combine(FirmwareDirectory, binName), bin);
        File.WriteAllText(Path.Combine(ManagerDirectory, "flags"), "0");
        File.WriteAllText(Path.Combine(ManagerDirectory, "firmware"), binName);
        string statePath = Path.Combine(ManagerDirectory, "state");
        string state = File.Exists(statePath) ? File.ReadAllText(statePath).Trim() : "unknown";
        if (state != "operating")
        {
            throw new RpcFault(StatusCode.Internal, "runtime", $"the FPGA manager reports state '{state}' after loading {binName} (expected 'operating')");
        }
    }
}
