using Grpc.Core;

namespace Vta.Rpc;

/// <summary>
/// A refusal or failure the agent or tracker reports to its client: a gRPC status, a message meant for a person, and
/// a kind ("sim" for an invalid program, "config", "limit", "auth", "timeout", "runtime") the client maps back.
/// </summary>
public sealed class RpcFault(StatusCode code, string kind, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public string Kind { get; } = kind;

    public RpcException ToRpcException() => new(new Status(Code, Message), new Metadata { { RpcHeaders.ErrorKind, Kind } });
}

/// <summary>The metadata headers of the protocol.</summary>
public static class RpcHeaders
{
    /// <summary>The agent's key (TVM's matching key), when the agent has one.</summary>
    public const string Key = "vta-key";

    /// <summary>The session of the client that holds the board.</summary>
    public const string Session = "vta-session";

    /// <summary>Trailer of a failed call: the fault kind.</summary>
    public const string ErrorKind = "vta-error-kind";
}
