using Grpc.Core;
using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Backends.Pynq;

/// <summary>
/// A real Zynq board with TVM's HLS design: bitstreams through Linux's FPGA manager, registers and DMA memory through
/// the given factories (/dev/mem and libcma on the board; fakes in tests).
/// </summary>
public sealed class PynqBackend(FpgaManager fpga, Func<TargetInfo, VtaRegisterFiles> mapRegisters, IDmaMemory memory) : IBoardBackend
{
    /// <summary>Targets whose bitstreams have the HLS register map this backend drives.</summary>
    public static readonly IReadOnlyList<string> Targets = ["pynq", "ultra96", "zcu104"];

    private VtaRegisterFiles? _regs;

    public string Name => "pynq";

    public IReadOnlyCollection<BitstreamKind> BitstreamKinds { get; } = [BitstreamKind.Xilinx];

    /// <summary>
    /// The board itself: /sys/class/fpga_manager, /lib/firmware, /dev/mem, libcma. Refused anywhere else, since
    /// writing VTA's register addresses through /dev/mem on another machine would poke at unrelated hardware.
    /// </summary>
    public static PynqBackend OnBoard()
    {
        var fpga = new FpgaManager();
        var arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture;
        if (!OperatingSystem.IsLinux() || arch is not (System.Runtime.InteropServices.Architecture.Arm or System.Runtime.InteropServices.Architecture.Arm64)
            || !Directory.Exists(fpga.ManagerDirectory))
        {
            throw new IOException($"the pynq backend runs on the board itself (ARM Linux with an FPGA manager at {fpga.ManagerDirectory}); this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription} on {arch}: use --backend sim or timing here");
        }

        return new(fpga, DevMemRegisterFile.MapAll, new CmaMemory());
    }

    public void Program(string path, BitstreamImage image, VtaConfig config)
    {
        if (image.Kind != BitstreamKind.Xilinx)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "config",
                $"the pynq backend programs Xilinx bitstreams; this is a {image.Describe()} (put the board's real .bit in the catalogue)");
        }

        CheckTarget(config);
        byte[] file = File.ReadAllBytes(path);
        fpga.Program(Path.GetFileNameWithoutExtension(path), image.Xilinx!.ToBin(file));
    }

    public void CheckReconfigure(VtaConfig? programmed, VtaConfig requested)
    {
        CheckTarget(requested);
        if (programmed is not null && !programmed.Equals(requested))
        {
            throw new RpcFault(StatusCode.FailedPrecondition, "config",
                $"the FPGA holds a bitstream for {programmed.Model} (HW_VER {programmed.HwVer}); a runtime for {requested.Model} (HW_VER {requested.HwVer}) would not match it: program a bitstream for it first");
        }
    }

    public IVtaDevice CreateDevice(VtaConfig config)
    {
        CheckTarget(config);
        _regs?.Dispose();
        _regs = mapRegisters(config.TargetInfo);
        // The agent stops runs with its own time limit.
        return new PynqDevice(config, memory, _regs) { DoneTimeout = TimeSpan.MaxValue };
    }

    public DeviceRunResult Run(IVtaDevice device, DeviceBuffer insns, int insnCount, CancellationToken stop) =>
        ((PynqDevice)device).Run(insns, insnCount, stop);

    public void Dispose()
    {
        _regs?.Dispose();
        memory.Dispose();
    }

    private static void CheckTarget(VtaConfig config)
    {
        if (!Targets.Contains(config.Target))
        {
            throw new RpcFault(StatusCode.InvalidArgument, "config",
                $"the pynq backend drives the HLS design of {string.Join(", ", Targets)}; configuration {config.Model} is for target '{config.Target}'");
        }
    }
}
