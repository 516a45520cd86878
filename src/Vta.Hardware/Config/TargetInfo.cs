namespace Vta.Hardware.Config;

/// <summary>Per-target FPGA facts (TVM's pkg_config.py); targets it does not list use the pynq branch.</summary>
public sealed record TargetInfo(
    string Name,
    string FpgaDevice,
    int ClockMHz,
    double HlsClockPeriodNs,
    int LogBusWidth,
    uint FetchBase,
    uint LoadBase,
    uint ComputeBase,
    uint StoreBase,
    string HostTriple,
    bool IsBoard)
{
    /// <summary>The targets TVM's VTA knows about.</summary>
    public static readonly IReadOnlyList<string> KnownTargets = ["sim", "tsim", "pynq", "ultra96", "zcu104", "de10nano", "intelfocl"];

    public int BusWidthBits => 1 << LogBusWidth;

    public static TargetInfo For(string target) => target switch
    {
        "ultra96" => new(target, "xczu3eg-sbva484-1-e", 333, 2, 7, 0xA0000000, 0xA0001000, 0xA0002000, 0xA0003000, "aarch64-linux-gnu", true),
        "zcu104" => new(target, "xczu7ev-ffvc1156-2-e", 333, 2, 7, 0xA0000000, 0xA0001000, 0xA0002000, 0xA0003000, "aarch64-linux-gnu", true),
        "de10nano" => new(target, "5CSEBA6U23I7", 100, 2, 6, 0xFF220000, 0xFF221000, 0xFF222000, 0xFF223000, "armv7-none-linux-gnueabihf", true),
        "pynq" => new(target, "xc7z020clg484-1", 100, 7, 6, 0x43C00000, 0x43C01000, 0x43C02000, 0x43C03000, "armv7-none-linux-gnueabihf", true),
        // sim, tsim and intelfocl take pynq's FPGA branch but run from the host.
        _ => new(target, "xc7z020clg484-1", 100, 7, 6, 0x43C00000, 0x43C01000, 0x43C02000, 0x43C03000, "x86_64-pc-linux-gnu", false),
    };
}
