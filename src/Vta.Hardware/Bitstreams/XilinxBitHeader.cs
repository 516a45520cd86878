using System.Buffers.Binary;
using System.Text;

namespace Vta.Hardware.Bitstreams;

/// <summary>
/// The header Vivado puts in front of a .bit file: a 13-byte preamble (a 2-byte length 9, nine bytes
/// 0f f0 0f f0 0f f0 0f f0 00, then 00 01), then key-length-value fields: 'a' design name, 'b' part, 'c' date,
/// 'd' time (each a big-endian 16-bit length and a NUL-terminated string), and 'e' with a big-endian 32-bit length
/// followed by the raw configuration data (which starts with the sync word aa 99 55 66 after padding).
/// </summary>
public sealed record XilinxBitHeader(
    string DesignName,
    IReadOnlyDictionary<string, string> DesignAttributes,
    string Part,
    string Date,
    string Time,
    int DataOffset,
    int DataLength)
{
    private static readonly byte[] s_preamble = [0x00, 0x09, 0x0F, 0xF0, 0x0F, 0xF0, 0x0F, 0xF0, 0x0F, 0xF0, 0x00, 0x00, 0x01];

    /// <summary>The 13 bytes every Xilinx .bit file starts with.</summary>
    public static ReadOnlySpan<byte> Preamble => s_preamble;

    public static bool LooksLikeBit(ReadOnlySpan<byte> file) => file.StartsWith(s_preamble);

    /// <summary>Vivado's tool version from the design field ("design_1_wrapper;UserID=0XFFFFFFFF;Version=2018.2").</summary>
    public string? ToolVersion => DesignAttributes.GetValueOrDefault("Version");

    public static XilinxBitHeader Parse(ReadOnlySpan<byte> file)
    {
        if (!LooksLikeBit(file))
        {
            throw new BitstreamException("not a Xilinx .bit file: it does not start with the preamble 00 09 0f f0 0f f0 0f f0 0f f0 00 00 01");
        }

        int pos = s_preamble.Length;
        var fields = new Dictionary<char, string>();
        while (true)
        {
            if (pos >= file.Length)
            {
                throw new BitstreamException($"truncated .bit header: no 'e' (data) field before the end at byte {pos}");
            }

            char key = (char)file[pos++];
            if (key == 'e')
            {
                if (pos + 4 > file.Length)
                {
                    throw new BitstreamException($"truncated .bit header: the 'e' field at byte {pos - 1} has no 4-byte length");
                }

                uint length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
                pos += 4;
                if (length > (uint)(file.Length - pos))
                {
                    throw new BitstreamException($"truncated .bit file: the header announces {length} bytes of configuration data, {file.Length - pos} follow it");
                }

                return Build(fields, pos, (int)length);
            }

            if (key is < 'a' or > 'd')
            {
                throw new BitstreamException($"bad .bit header: unknown field key 0x{(byte)key:x2} at byte {pos - 1} (expected 'a' to 'e')");
            }

            if (pos + 2 > file.Length)
            {
                throw new BitstreamException($"truncated .bit header: field '{key}' at byte {pos - 1} has no 2-byte length");
            }

            int len = BinaryPrimitives.ReadUInt16BigEndian(file[pos..]);
            pos += 2;
            if (len > file.Length - pos)
            {
                throw new BitstreamException($"truncated .bit header: field '{key}' announces {len} bytes, {file.Length - pos} are left");
            }

            fields[key] = Encoding.ASCII.GetString(file.Slice(pos, len)).TrimEnd('\0');
            pos += len;
        }
    }

    /// <summary>
    /// The configuration data as Linux's FPGA manager takes it on Zynq-7000 (a .bin): the header stripped and, when
    /// <paramref name="swap32"/>, every 32-bit word byte-swapped (what PYNQ and the usual bit-to-bin tools do).
    /// </summary>
    public byte[] ToBin(ReadOnlySpan<byte> file, bool swap32 = true)
    {
        var data = file.Slice(DataOffset, DataLength).ToArray();
        if (!swap32)
        {
            return data;
        }

        if (data.Length % 4 != 0)
        {
            throw new BitstreamException($"configuration data of {data.Length} bytes is not a whole number of 32-bit words");
        }

        for (int i = 0; i < data.Length; i += 4)
        {
            (data[i], data[i + 1], data[i + 2], data[i + 3]) = (data[i + 3], data[i + 2], data[i + 1], data[i]);
        }

        return data;
    }

    private static XilinxBitHeader Build(Dictionary<char, string> fields, int offset, int length)
    {
        var missing = "abcd".Where(k => !fields.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new BitstreamException($"bad .bit header: field(s) {string.Join(", ", missing.Select(k => $"'{k}'"))} missing before the data");
        }

        // Vivado writes "name;UserID=...;Version=...": keep the name and the attributes apart.
        string[] parts = fields['a'].Split(';');
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string p in parts.Skip(1))
        {
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                attributes[p[..eq]] = p[(eq + 1)..];
            }
        }

        return new XilinxBitHeader(parts[0], attributes, fields['b'], fields['c'], fields['d'], offset, length);
    }
}
