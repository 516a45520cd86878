using System.Text;
using Vta.Frontend.Npz;

namespace Vta.Frontend.Tests.Npz;

/// <summary>The reader against .npy bytes assembled here from the format specification, not from our writer.</summary>
public class NpyReaderSpecTests
{
    // magic, version, little-endian header length, header text: the spec's layout, spelled out.
    private static byte[] NpyV1(string header, params byte[] data)
    {
        byte[] text = Encoding.ASCII.GetBytes(header);
        return [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)text.Length, (byte)(text.Length >> 8), .. text, .. data];
    }

    private static NpyArray Read(byte[] bytes, string name = "x") => NpyFile.Read(new MemoryStream(bytes), name, "test.npy", bytes.Length);

    [Fact]
    public void Reads_an_old_numpy_style_int16_vector()
    {
        // Old NumPy aligned to 16 bytes with no spare space: 10 + 57 + 12 spaces + '\n' = 80.
        string header = "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }" + new string(' ', 12) + "\n";
        Assert.Equal(80, 10 + header.Length);
        NpyArray a = Read(NpyV1(header, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x80));

        Assert.Equal(NpyDType.Int16, a.DType);
        Assert.Equal([3], a.Shape);
        Assert.Equal(new short[] { 1, -1, short.MinValue }, a.ToArray<short>());
    }

    [Fact]
    public void Reads_any_key_order_quotes_spacing_and_python2_long_suffix()
    {
        string header = "{ \"shape\" : (2L, 2L) , \"fortran_order\": False,'descr':'<f4' }\n";
        byte[] data = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0xC0]; // 1, 2, 3, -4
        NpyArray a = Read(NpyV1(header, data));

        Assert.Equal([2, 2], a.Shape);
        Assert.Equal(new[] { 1f, 2f, 3f, -4f }, a.ToArray<float>());
    }

    [Fact]
    public void Reads_version_2_with_a_four_byte_header_length()
    {
        string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }\n";
        byte[] text = Encoding.ASCII.GetBytes(header);
        byte[] bytes = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, (byte)text.Length, 0, 0, 0, .. text, 7, 250];
        NpyArray a = Read(bytes);
        Assert.Equal(new byte[] { 7, 250 }, a.ToArray<byte>());
    }

    [Fact]
    public void Reads_scalar_bool_and_empty_arrays()
    {
        NpyArray scalar = Read(NpyV1("{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n", BitConverter.GetBytes(2.5)));
        Assert.Empty(scalar.Shape);
        Assert.Equal(1, scalar.Count);
        Assert.Equal(2.5, scalar.ToArray<double>()[0]);

        // NumPy reads any non-zero byte as True.
        NpyArray flags = Read(NpyV1("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }\n", 0, 1, 2));
        Assert.Equal(new[] { false, true, true }, flags.ToArray<bool>());

        NpyArray empty = Read(NpyV1("{'descr': '<i8', 'fortran_order': False, 'shape': (0, 4), }\n"));
        Assert.Equal([0, 4], empty.Shape);
        Assert.Equal(0, empty.Count);
    }

    [Fact]
    public void Fortran_order_vector_is_the_same_bytes_and_is_accepted()
    {
        NpyArray a = Read(NpyV1("{'descr': '|i1', 'fortran_order': True, 'shape': (1, 3), }\n", 1, 2, 0xFE));
        Assert.Equal(new sbyte[] { 1, 2, -2 }, a.ToArray<sbyte>());
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }\n", "fortran_order True")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", "big-endian")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n", "unsupported dtype")]
    [InlineData("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }\n", "structured")]
    [InlineData("{'descr': '<f4', 'shape': (1,), }\n", "keys")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1, }\n", "keys")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4), }\n", "shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n", "negative")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }\n", "fortran_order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) \n", "parse")]
    public void Refuses_what_it_cannot_represent_with_a_clear_message(string header, string expected)
    {
        var e = Assert.Throws<NpyFormatException>(() => Read(NpyV1(header, new byte[24])));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("test.npy: ", e.Message);
    }

    [Fact]
    public void Refuses_bad_magic_unknown_version_and_truncation()
    {
        byte[] good = NpyV1("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n", 1, 0, 0, 0, 2, 0, 0, 0);
        Assert.Equal(new[] { 1, 2 }, Read(good).ToArray<int>());

        byte[] badMagic = (byte[])good.Clone();
        badMagic[1] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<NpyFormatException>(() => Read(badMagic)).Message);

        byte[] badVersion = (byte[])good.Clone();
        badVersion[6] = 4;
        Assert.Contains("version 4.0", Assert.Throws<NpyFormatException>(() => Read(badVersion)).Message);

        Assert.Contains("truncated array data", Assert.Throws<NpyFormatException>(() => Read(good[..^1])).Message);
        Assert.Contains("truncated", Assert.Throws<NpyFormatException>(() => Read(good[..20])).Message);

        // Without a known length the stream simply runs dry; that must also be an error, not zeros.
        Assert.Throws<NpyFormatException>(() => NpyFile.Read(new MemoryStream(good[..^1]), "x", "test.npy"));
    }
}
