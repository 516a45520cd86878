using System.IO.Compression;
using System.Text;
using Vta.Frontend.Npz;

namespace Vta.Frontend.Tests.Npz;

public class NpyWriterTests
{
    [Fact]
    public void Header_is_byte_for_byte_what_numpy_writes()
    {
        // NumPy >= 1.24 for np.array([1, 2, 3], '<i2'): the 57-character dict, 21 - len("3") = 20 spare spaces,
        // then 40 spaces and '\n' so that 10 + 118 = 128, a multiple of 64; the length field says 118.
        string expectedText = "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }" + new string(' ', 20 + 40) + "\n";
        byte[] expected = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0, .. Encoding.ASCII.GetBytes(expectedText), 1, 0, 2, 0, 3, 0];

        byte[] written = NpyFile.ToBytes(NpyArray.Create<short>("a", [3], [1, 2, 3]));

        Assert.Equal(expected, written);
    }

    [Theory]
    [InlineData(new int[0], "()", 0)]
    [InlineData(new[] { 5 }, "(5,)", 20)]
    [InlineData(new[] { 2, 3 }, "(2, 3)", 20)]
    [InlineData(new[] { 1, 49, 10, 1 }, "(1, 49, 10, 1)", 20)]
    [InlineData(new[] { 1000000 }, "(1000000,)", 14)]
    public void Every_header_is_aligned_to_64_and_ends_in_a_newline(int[] shape, string repr, int spare)
    {
        byte[] header = NpyHeader.Build(NpyDType.Float32, shape);
        Assert.Equal(0, header.Length % 64);
        Assert.Equal((byte)'\n', header[^1]);
        Assert.Equal(header.Length - 10, header[8] | (header[9] << 8));
        string text = Encoding.ASCII.GetString(header, 10, header.Length - 10);
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {repr}, }}";
        Assert.StartsWith(dict + new string(' ', spare), text);
        Assert.Equal(text.Length - 1, text.TrimEnd('\n').Length);
        Assert.True(text.TrimEnd('\n').Length - dict.Length >= spare + 1, "NumPy always pads at least one space");
    }

    [Fact]
    public void Aligned_dict_still_gets_a_full_64_spaces_as_numpy_does()
    {
        // A dict that would end exactly on the boundary: NumPy's padlen = 64 - 0 = 64, never 0.
        // Thirteen 1s and 999: a 97-character dict plus 20 spare spaces is 117, and 10 + 117 + 1 = 128.
        int[] shape = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 999];
        Assert.Equal(117, NpyHeader.DictText(NpyDType.Float32, shape).Length);
        string dict = NpyHeader.DictText(NpyDType.Float32, shape);
        Assert.Equal(0, (10 + dict.Length + 1) % 64);
        Assert.Equal(10 + dict.Length + 64 + 1, NpyHeader.Build(NpyDType.Float32, shape).Length);
    }

    [Fact]
    public void Writer_output_reads_back_through_the_reader()
    {
        NpyArray original = NpyArray.Create<float>("w", [2, 2], [1.5f, -0f, float.MaxValue, float.Epsilon]);
        NpyArray back = NpyFile.Read(new MemoryStream(NpyFile.ToBytes(original)), "w", "mem");
        Assert.Equal(original.Bytes.ToArray(), back.Bytes.ToArray());
        Assert.Equal(original.Shape, back.Shape);
        Assert.Equal(NpyDType.Float32, back.DType);
    }

    [Fact]
    public void Every_dtype_round_trips_through_npz_and_npy_files()
    {
        NpyArray[] arrays =
        [
            NpyArray.Create<bool>("b", [3], [true, false, true]),
            NpyArray.Create<sbyte>("i1", [2, 2], [sbyte.MinValue, -1, 0, sbyte.MaxValue]),
            NpyArray.Create<byte>("u1", [4], [0, 1, 128, 255]),
            NpyArray.Create<short>("i2", [2], [short.MinValue, short.MaxValue]),
            NpyArray.Create<ushort>("u2", [2], [0, ushort.MaxValue]),
            NpyArray.Create<int>("i4", [1, 2, 1], [int.MinValue, int.MaxValue]),
            NpyArray.Create<uint>("u4", [1], [uint.MaxValue]),
            NpyArray.Create<long>("i8", [2], [long.MinValue, long.MaxValue]),
            NpyArray.Create<ulong>("u8", [1], [ulong.MaxValue]),
            NpyArray.Create<float>("f4", [], [3.25f]),
            NpyArray.Create<double>("f8", [0, 3], []),
            NpyArray.Create<double>("f8b", [2], [double.NaN, -1e300]),
        ];
        string dir = Directory.CreateTempSubdirectory("vta-npz-").FullName;
        try
        {
            foreach (bool compressed in new[] { false, true })
            {
                string path = Path.Combine(dir, compressed ? "c.npz" : "s.npz");
                NpzFile.Save(path, arrays, compressed);
                IReadOnlyList<NpyArray> back = NpzFile.Load(path);
                AssertSame(arrays, back);
            }

            foreach (NpyArray a in arrays)
            {
                string path = Path.Combine(dir, a.Name + ".npy");
                NpyFile.Save(path, a);
                AssertSame([a], [NpyFile.Load(path)]);
            }

            // Atomic writes leave no temporary files behind.
            Assert.Equal(2 + arrays.Length, Directory.GetFiles(dir).Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Savez_style_archives_store_members_and_compressed_ones_deflate()
    {
        NpyArray a = NpyArray.Create<byte>("image", [16], new byte[16]);
        foreach ((bool compressed, int method) in new[] { (false, 0), (true, 8) })
        {
            var stream = new MemoryStream();
            NpzFile.Write(stream, [a], compressed);
            byte[] zip = stream.ToArray();

            // Local file header: signature PK\3\4, compression method at offset 8, name at offset 30.
            Assert.Equal("PK\u0003\u0004", Encoding.ASCII.GetString(zip, 0, 4));
            Assert.Equal(method, zip[8] | (zip[9] << 8));
            Assert.Equal("image.npy", Encoding.ASCII.GetString(zip, 30, 9));
        }
    }

    [Fact]
    public void Reads_an_npz_whose_member_is_hand_built()
    {
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" + new string(' ', 5) + "\n";
        byte[] npy = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0, .. Encoding.ASCII.GetBytes(header), 0, 0, 0x20, 0x41, 0, 0, 0x80, 0xBF];
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using Stream member = zip.CreateEntry("logits.npy").Open();
            member.Write(npy);
        }

        stream.Position = 0;
        NpyArray only = Assert.Single(NpzFile.Read(stream, "in.npz"));
        Assert.Equal("logits", only.Name);
        Assert.Equal(new[] { 10f, -1f }, only.ToArray<float>());
        Assert.Equal(new[] { 10f, -1f }, only.ToFloat32());
    }

    [Fact]
    public void Bad_archives_name_the_file()
    {
        string dir = Directory.CreateTempSubdirectory("vta-npz-").FullName;
        try
        {
            string notZip = Path.Combine(dir, "bad.npz");
            File.WriteAllText(notZip, "not a zip");
            var e = Assert.Throws<NpyFormatException>(() => NpzFile.Load(notZip));
            Assert.Contains(notZip, e.Message);

            string missing = Path.Combine(dir, "missing.npz");
            Assert.Contains("not found", Assert.Throws<NpyFormatException>(() => NpzFile.Load(missing)).Message);

            string truncated = Path.Combine(dir, "cut.npz");
            NpzFile.Save(truncated, [NpyArray.Create<float>("x", [100], new float[100])]);
            byte[] whole = File.ReadAllBytes(truncated);
            File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]);
            Assert.Throws<NpyFormatException>(() => NpzFile.Load(truncated));

            Assert.Throws<ArgumentException>(() => NpzFile.Save(Path.Combine(dir, "dup.npz"),
                [NpyArray.Create<float>("x", [1], [1f]), NpyArray.Create<float>("x", [1], [2f])]));
            Assert.False(File.Exists(Path.Combine(dir, "dup.npz")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Typed_access_checks_the_dtype()
    {
        NpyArray a = NpyArray.Create<int>("x", [2], [1, 2]);
        Assert.Contains("int32, not float32", Assert.Throws<InvalidOperationException>(() => a.AsSpan<float>().ToArray()).Message);
        Assert.Throws<ArgumentException>(() => new NpyArray("y", NpyDType.Float32, [3], new byte[8]));
    }

    private static void AssertSame(IReadOnlyList<NpyArray> expected, IReadOnlyList<NpyArray> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.Equal(expected[i].DType, actual[i].DType);
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.Equal(expected[i].Bytes.ToArray(), actual[i].Bytes.ToArray());
        }
    }
}
