using System.IO.Compression;
using System.Security.Cryptography;
using Grpc.Core;
using Vta.Compiler.Packages;
using Vta.Rpc.Protocol;

namespace Vta.Rpc.Agent;

/// <summary>A package the agent holds: its id (the SHA-256 of its bytes), the checked package, and its file.</summary>
public sealed record StoredPackage(string Id, VtaPackage Package, long Bytes, string Path);

/// <summary>
/// Uploaded packages in <c>WORKDIR/packages/ID.vtapkg</c>. The file name is the content hash the agent computes, so
/// nothing the client sends becomes a path; a package is checked (<see cref="VtaPackage.Load"/>) before it gets that
/// name. Keeps the last <c>capacity</c> packages used. Not thread-safe: the board calls it under its lock.
/// </summary>
internal sealed class PackageStore(string workDirectory, int capacity)
{
    private readonly string _directory = System.IO.Path.Combine(workDirectory, "packages");
    private readonly Dictionary<string, (StoredPackage Package, long Used)> _packages = [];
    private long _clock;

    /// <summary>Stores the streamed package, refusing it as soon as it passes <paramref name="limit"/> bytes.</summary>
    public async Task<StoredPackage> AddAsync(IAsyncEnumerable<PackageChunk> chunks, long limit, CancellationToken cancel)
    {
        Directory.CreateDirectory(_directory);
        string temp = System.IO.Path.Combine(_directory, $"upload-{Guid.NewGuid():N}.part");
        try
        {
            var (id, bytes) = await ReceiveAsync(chunks, temp, limit, cancel).ConfigureAwait(false);
            VtaPackage package = Check(temp, limit);
            string path = System.IO.Path.Combine(_directory, id + ".vtapkg");
            File.Move(temp, path, overwrite: true);
            var stored = new StoredPackage(id, package, bytes, path);
            _packages[id] = (stored, ++_clock);
            Evict(keep: id);
            return stored;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The package with this id; refusals name the field and say why.</summary>
    public StoredPackage Get(string id)
    {
        if (id.Length != 64 || !id.All(char.IsAsciiHexDigitLower))
        {
            throw new RpcFault(StatusCode.InvalidArgument, "package",
                $"package_id '{Shorten(id)}' is not a package id (64 lower-case hex digits, as UploadPackage returns)");
        }

        if (!_packages.TryGetValue(id, out var entry))
        {
            throw new RpcFault(StatusCode.NotFound, "package",
                $"package_id {id}: no such package on this agent (upload it first; the agent keeps the last {capacity} packages)");
        }

        _packages[id] = (entry.Package, ++_clock);
        return entry.Package;
    }

    private static async Task<(string Id, long Bytes)> ReceiveAsync(IAsyncEnumerable<PackageChunk> chunks, string temp, long limit, CancellationToken cancel)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        long? declared = null;
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            await foreach (PackageChunk chunk in chunks.WithCancellation(cancel).ConfigureAwait(false))
            {
                declared ??= chunk.TotalBytes;
                received += chunk.Data.Length;
                if (declared > limit || received > limit)
                {
                    throw new RpcFault(StatusCode.ResourceExhausted, "limit",
                        $"package upload of {Math.Max(declared.Value, received)} bytes is over the agent's limit of {limit} bytes");
                }

                hash.AppendData(chunk.Data.Span);
                await file.WriteAsync(chunk.Data.Memory, cancel).ConfigureAwait(false);
            }
        }

        if (received == 0)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "package", "package upload carried no bytes");
        }

        if (declared is > 0 && declared != received)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "package",
                $"package upload ended after {received} bytes, its first chunk's total_bytes said {declared}");
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), received);
    }

    /// <summary>Refuses a zip that would expand far past the upload limit (a zip bomb), then every check of a load.</summary>
    private static VtaPackage Check(string path, long limit)
    {
        try
        {
            long expanded;
            using (ZipArchive zip = ZipFile.OpenRead(path))
            {
                expanded = zip.Entries.Sum(e => e.Length);
            }

            if (expanded > 8 * limit)
            {
                throw new RpcFault(StatusCode.ResourceExhausted, "limit",
                    $"package expands to {expanded} bytes, more than 8 times the agent's upload limit of {limit} bytes");
            }

            return VtaPackage.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "package", $"the upload is not a package: {e.Message}");
        }
        catch (PackageFormatException e)
        {
            // The reason, not the agent's path: where the agent keeps files is none of the client's business.
            throw new RpcFault(StatusCode.InvalidArgument, "package", $"the upload is not a usable package: {e.Reason}");
        }
    }

    private void Evict(string keep)
    {
        while (_packages.Count > capacity)
        {
            var oldest = _packages.Where(p => p.Key != keep).MinBy(p => p.Value.Used);
            _packages.Remove(oldest.Key);
            File.Delete(oldest.Value.Package.Path);
        }
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
