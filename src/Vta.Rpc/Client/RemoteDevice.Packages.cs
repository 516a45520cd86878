using Grpc.Core;
using Vta.Rpc.Protocol;
using Vta.Runtime;

namespace Vta.Rpc.Client;

/// <summary>The package calls, in this client's session (see <see cref="RemotePackageRunner"/>).</summary>
public sealed partial class RemoteDevice
{
    /// <summary>Pieces of an upload: small enough for any agent's message limit.</summary>
    internal const int PackageChunkBytes = 1 << 20;

    /// <summary>Streams a package's bytes to the agent; its reply names the stored package.</summary>
    internal PackageReply UploadPackage(ReadOnlyMemory<byte> package) => Call("UploadPackage", () => Task.Run(async () =>
    {
        using var call = _client.UploadPackage(_headers);
        try
        {
            for (int done = 0; done == 0 || done < package.Length; done += PackageChunkBytes)
            {
                var piece = package.Slice(done, Math.Min(PackageChunkBytes, package.Length - done));
                await call.RequestStream.WriteAsync(new PackageChunk
                {
                    TotalBytes = done == 0 ? package.Length : 0,
                    Data = Google.Protobuf.ByteString.CopyFrom(piece.Span),
                }).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The agent ended the call early (a refusal): its status comes with the response below.
        }

        return await call.ResponseAsync.ConfigureAwait(false);
    }).GetAwaiter().GetResult());

    internal RunPackageReply RunPackage(RunPackageRequest request) => Call("RunPackage", () => _client.RunPackage(request, _headers));
}
