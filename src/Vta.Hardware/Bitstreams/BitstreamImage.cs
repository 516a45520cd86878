using System.Security.Cryptography;
using Vta.Hardware.Config;

namespace Vta.Hardware.Bitstreams;

/// <summary>What kind of file a bitstream is.</summary>
public enum BitstreamKind
{
    /// <summary>A <see cref="SimBitstream"/> container for the simulated backends.</summary>
    Sim,

    /// <summary>A Vivado .bit file for a real board.</summary>
    Xilinx,
}

/// <summary>A bitstream file looked at: its kind, its SHA-256, and the configuration or Xilinx header it carries.</summary>
public sealed class BitstreamImage
{
    private BitstreamImage(BitstreamKind kind, string sha256, long length, VtaConfig? config, XilinxBitHeader? xilinx)
    {
        Kind = kind;
        Sha256 = sha256;
        Length = length;
        Config = config;
        Xilinx = xilinx;
    }

    public BitstreamKind Kind { get; }

    /// <summary>Lower-case hex.</summary>
    public string Sha256 { get; }

    public long Length { get; }

    /// <summary>The configuration a simulator container carries; null for a Xilinx file, which carries none.</summary>
    public VtaConfig? Config { get; }

    public XilinxBitHeader? Xilinx { get; }

    /// <summary>The manifest's name for a kind.</summary>
    public static string KindName(BitstreamKind kind) => kind == BitstreamKind.Sim ? "vta-sim" : "xilinx";

    public static BitstreamKind ParseKind(string name) => name switch
    {
        "vta-sim" => BitstreamKind.Sim,
        "xilinx" => BitstreamKind.Xilinx,
        _ => throw new BitstreamException($"unknown bitstream kind '{name}' (known: vta-sim, xilinx)"),
    };

    public static BitstreamImage Inspect(ReadOnlySpan<byte> file)
    {
        string sha = HashHex(file);
        if (SimBitstream.LooksLikeContainer(file))
        {
            return new BitstreamImage(BitstreamKind.Sim, sha, file.Length, SimBitstream.Read(file), null);
        }

        if (XilinxBitHeader.LooksLikeBit(file))
        {
            return new BitstreamImage(BitstreamKind.Xilinx, sha, file.Length, null, XilinxBitHeader.Parse(file));
        }

        throw new BitstreamException("not a bitstream: neither a Xilinx .bit file (preamble 00 09 0f f0 ...) nor a VTA simulator container (magic VTASIMBT)");
    }

    public static string HashHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>One line for listings: "VTA simulator bitstream for pynq_1x16_... (HW_VER 0.0.2)" or the Xilinx fields.</summary>
    public string Describe() => Kind == BitstreamKind.Sim
        ? $"VTA simulator bitstream for {Config!.Model} (HW_VER {Config.HwVer})"
        : $"Xilinx bitstream: design {Xilinx!.DesignName}, part {Xilinx.Part}, built {Xilinx.Date} {Xilinx.Time}, {Xilinx.DataLength} bytes of configuration data";
}
