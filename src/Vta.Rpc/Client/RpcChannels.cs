using Grpc.Net.Client;

namespace Vta.Rpc.Client;

/// <summary>gRPC channels to agents and trackers: cleartext HTTP/2, no message size cap (the servers enforce theirs), keep-alive pings so a dead peer is noticed.</summary>
internal static class RpcChannels
{
    public static GrpcChannel Create(string host, int port) => GrpcChannel.ForAddress($"http://{RpcAddress.FormatHost(host)}:{port}", new GrpcChannelOptions
    {
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
        HttpHandler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(15),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
        },
    });
}
