using System.Text;

namespace Vta.Rpc.Tests;

/// <summary>
/// Builds a .bit file byte by byte from the public description of the format: 00 09, the nine bytes
/// 0f f0 0f f0 0f f0 0f f0 00, 00 01, then fields 'a' to 'd' (key, 2-byte big-endian length, NUL-terminated text)
/// and 'e' (key, 4-byte big-endian length, the configuration data).
/// </summary>
internal static class XilinxBits
{
    public static byte[] Build(string design, string part, string date, string time, byte[] data)
    {
        var b = new List<byte> { 0x00, 0x09, 0x0f, 0xf0, 0x0f, 0xf0, 0x0f, 0xf0, 0x0f, 0xf0, 0x00, 0x00, 0x01 };
        foreach (var (key, text) in new[] { ('a', design), ('b', part), ('c', date), ('d', time) })
        {
            byte[] s = Encoding.ASCII.GetBytes(text + "\0");
            b.Add((byte)key);
            b.Add((byte)(s.Length >> 8));
            b.Add((byte)s.Length);
            b.AddRange(s);
        }

        b.Add((byte)'e');
        b.Add((byte)(data.Length >> 24));
        b.Add((byte)(data.Length >> 16));
        b.Add((byte)(data.Length >> 8));
        b.Add((byte)data.Length);
        b.AddRange(data);
        return [.. b];
    }

    /// <summary>Dummy configuration data: padding, the sync word aa 99 55 66, then a counter.</summary>
    public static byte[] Data(int words)
    {
        var d = new byte[words * 4];
        for (int i = 0; i < 8; i++)
        {
            d[i] = 0xff;
        }

        d[8] = 0xaa;
        d[9] = 0x99;
        d[10] = 0x55;
        d[11] = 0x66;
        for (int i = 12; i < d.Length; i++)
        {
            d[i] = (byte)i;
        }

        return d;
    }
}
