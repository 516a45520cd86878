using System.IO.Compression;
using Vta.Hardware.IO;

namespace Vta.Frontend.Npz;

/// <summary>
/// .npz archives as NumPy's savez/savez_compressed write them: a zip whose members are "NAME.npy" files.
/// Both stored and deflated members are read; writing stores (savez) unless <c>compressed</c> (savez_compressed).
/// </summary>
public static class NpzFile
{
    // A fixed member time keeps written archives byte-identical from run to run.
    private static readonly DateTimeOffset s_memberTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The arrays in archive order, each named as NumPy's <c>np.load(path).files</c> names it.</summary>
    public static IReadOnlyList<NpyArray> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            return ReadArchive(zip, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            string reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "file not found",
                InvalidDataException => $"not a valid .npz (zip) archive: {e.Message}",
                _ => e.Message,
            };
            throw new NpyFormatException(path, reason, e);
        }
    }

    public static IReadOnlyList<NpyArray> Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return ReadArchive(zip, sourceName);
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException(sourceName, $"not a valid .npz (zip) archive: {e.Message}", e);
        }
    }

    /// <summary>Writes atomically: a failed write leaves any previous file untouched.</summary>
    public static void Save(string path, IEnumerable<NpyArray> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        List<NpyArray> list = Validate(arrays);
        AtomicFile.Write(path, stream => WriteValidated(stream, list, compressed));
    }

    public static void Write(Stream stream, IEnumerable<NpyArray> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(arrays);
        WriteValidated(stream, Validate(arrays), compressed);
    }

    private static List<NpyArray> ReadArchive(ZipArchive zip, string sourceName)
    {
        var arrays = new List<NpyArray>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            if (entry.FullName.EndsWith('/'))
            {
                continue; // a folder record, not a member
            }

            if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
            {
                throw new NpyFormatException(sourceName, $"member '{entry.FullName}' is not a .npy array");
            }

            string name = entry.FullName[..^4];
            if (!seen.Add(name))
            {
                throw new NpyFormatException(sourceName, $"array '{name}' appears twice");
            }

            using Stream member = entry.Open();
            arrays.Add(NpyFile.Read(member, name, $"{sourceName}/{entry.FullName}", entry.Length));
        }

        return arrays;
    }

    private static List<NpyArray> Validate(IEnumerable<NpyArray> arrays)
    {
        var list = arrays.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (NpyArray array in list)
        {
            if (array.Name.Length == 0 || !seen.Add(array.Name))
            {
                throw new ArgumentException($"array names in an .npz must be non-empty and distinct ('{array.Name}')", nameof(arrays));
            }
        }

        return list;
    }

    private static void WriteValidated(Stream stream, List<NpyArray> arrays, bool compressed)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (NpyArray array in arrays)
        {
            ZipArchiveEntry entry = zip.CreateEntry(array.Name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            entry.LastWriteTime = s_memberTime;
            using Stream member = entry.Open();
            NpyFile.Write(member, array);
        }
    }
}
