using System.Buffers.Binary;
using System.Text;
using Vta.Hardware.IO;

namespace Vta.Frontend.Npz;

/// <summary>Reads and writes single-array .npy files (format versions 1.0, 2.0 and 3.0 read; 1.0 or 2.0 written, as NumPy chooses).</summary>
public static class NpyFile
{
    /// <summary>Reads a .npy file; the array is named after the file (without extension).</summary>
    public static NpyArray Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using FileStream stream = File.OpenRead(path);
            return Read(stream, Path.GetFileNameWithoutExtension(path), path, stream.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NpyFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message, e);
        }
    }

    /// <summary>Writes atomically: the file appears whole or not at all.</summary>
    public static void Save(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        AtomicFile.Write(path, stream => Write(stream, array));
    }

    public static byte[] ToBytes(NpyArray array)
    {
        using var stream = new MemoryStream();
        Write(stream, array);
        return stream.ToArray();
    }

    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        stream.Write(NpyHeader.Build(array.DType, array.Shape));
        stream.Write(array.Bytes);
    }

    /// <param name="sourceName">What error messages call the input (a path, or "archive.npz/x.npy").</param>
    /// <param name="available">Bytes the stream holds, when known, so a lying header cannot force a huge allocation.</param>
    public static NpyArray Read(Stream stream, string name, string sourceName, long? available = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        NpyArray.RequireLittleEndianHost();
        Span<byte> prefix = stackalloc byte[8];
        if (!TryFill(stream, prefix) || !prefix[..6].SequenceEqual(NpyHeader.Magic))
        {
            throw new NpyFormatException(sourceName, "not a .npy file (missing \\x93NUMPY magic)");
        }

        int major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw new NpyFormatException(sourceName, $"unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are read)");
        }

        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        if (!TryFill(stream, lengthBytes))
        {
            throw new NpyFormatException(sourceName, "truncated .npy header");
        }

        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        long headerStart = 8 + lengthBytes.Length;
        if (available is long a && headerStart + headerLength > a)
        {
            throw new NpyFormatException(sourceName, $"truncated .npy header ({headerLength} bytes announced, {a - headerStart} present)");
        }

        var header = new byte[headerLength];
        if (!TryFill(stream, header))
        {
            throw new NpyFormatException(sourceName, "truncated .npy header");
        }

        NpyDType dtype;
        int[] shape;
        try
        {
            string text = major == 3 ? Encoding.UTF8.GetString(header) : Encoding.Latin1.GetString(header);
            (dtype, shape) = NpyHeader.Parse(text);
        }
        catch (FormatException e)
        {
            throw new NpyFormatException(sourceName, e.Message, e);
        }

        long count = shape.Aggregate(1L, (p, d) => checked(p * d));
        long size = count * dtype.Size();
        long present = available is long total ? total - headerStart - headerLength : long.MaxValue;
        if (size > Array.MaxLength || size > present)
        {
            string have = present == long.MaxValue ? "" : $", {present} present";
            throw new NpyFormatException(sourceName, $"truncated array data: shape {NpyHeader.ShapeRepr(shape)} of {dtype.NumpyName()} needs {size} bytes{have}");
        }

        var data = new byte[size];
        if (!TryFill(stream, data))
        {
            throw new NpyFormatException(sourceName, $"truncated array data: shape {NpyHeader.ShapeRepr(shape)} of {dtype.NumpyName()} needs {size} bytes");
        }

        if (dtype == NpyDType.Bool)
        {
            // NumPy treats any non-zero byte as True; .NET bools must be exactly 0 or 1.
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = data[i] != 0 ? (byte)1 : (byte)0;
            }
        }

        return new NpyArray(name, dtype, shape, data);
    }

    private static bool TryFill(Stream stream, Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = stream.Read(buffer[done..]);
            if (n == 0)
            {
                return false;
            }

            done += n;
        }

        return true;
    }
}
