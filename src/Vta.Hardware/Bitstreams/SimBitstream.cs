using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vta.Hardware.Config;

namespace Vta.Hardware.Bitstreams;

/// <summary>
/// The "bitstream" of a simulated board: it carries the hardware configuration the simulator takes on when it is
/// programmed. Layout (little-endian): magic "VTASIMBT" (8 bytes), format version u16 (1), reserved u16 (0),
/// configuration length u32, the configuration as vta_config.json text (UTF-8), then the SHA-256 of all the bytes
/// before it (32 bytes), so a truncated or edited file is refused rather than programmed.
/// </summary>
public static class SimBitstream
{
    public const int Version = 1;
    public const int MaxConfigBytes = 64 * 1024;
    private const int HeaderBytes = 16;
    private const int HashBytes = 32;

    public static ReadOnlySpan<byte> Magic => "VTASIMBT"u8;

    public static bool LooksLikeContainer(ReadOnlySpan<byte> file) => file.StartsWith(Magic);

    public static byte[] Create(VtaConfig config)
    {
        byte[] json = Encoding.UTF8.GetBytes(VtaConfigLoader.ToJson(config));
        var bytes = new byte[HeaderBytes + json.Length + HashBytes];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)json.Length);
        json.CopyTo(bytes.AsSpan(HeaderBytes));
        SHA256.HashData(bytes.AsSpan(0, HeaderBytes + json.Length), bytes.AsSpan(HeaderBytes + json.Length));
        return bytes;
    }

    /// <summary>The configuration a container carries; throws if the file is not an intact version-1 container.</summary>
    public static VtaConfig Read(ReadOnlySpan<byte> file)
    {
        if (!LooksLikeContainer(file))
        {
            throw new BitstreamException("not a VTA simulator bitstream: it does not start with the magic VTASIMBT");
        }

        if (file.Length < HeaderBytes + HashBytes)
        {
            throw new BitstreamException($"truncated VTA simulator bitstream: {file.Length} bytes, a container has at least {HeaderBytes + HashBytes}");
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
        if (version != Version)
        {
            throw new BitstreamException($"VTA simulator bitstream format version {version} is not supported (this build reads version {Version})");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(file[12..]);
        if (length > MaxConfigBytes || HeaderBytes + length + HashBytes != file.Length)
        {
            throw new BitstreamException($"bad VTA simulator bitstream: a {length}-byte configuration does not fit a {file.Length}-byte file");
        }

        int end = HeaderBytes + (int)length;
        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(file[..end], hash);
        if (!hash.SequenceEqual(file[end..]))
        {
            throw new BitstreamException("corrupt VTA simulator bitstream: the SHA-256 at its end does not match its contents");
        }

        try
        {
            return VtaConfigLoader.Parse(Encoding.UTF8.GetString(file[HeaderBytes..end]), "VTA simulator bitstream");
        }
        catch (VtaConfigException e)
        {
            throw new BitstreamException($"the configuration in the VTA simulator bitstream is invalid: {e.Message}", e);
        }
    }
}
