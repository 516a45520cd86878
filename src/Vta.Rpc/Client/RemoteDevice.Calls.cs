using Grpc.Core;
using Vta.Rpc.Protocol;
using Vta.Runtime;
using Vta.Sim;

namespace Vta.Rpc.Client;

/// <summary>Board administration (program, reconfigure, shut down) and the mapping of failures back to the runtime's exceptions.</summary>
public sealed partial class RemoteDevice
{
    /// <summary>What the agent says about itself: backend, configuration, bitstream, limits, queue.</summary>
    public InfoReply Info() => Call("Info", () => _client.Info(new Empty(), _headers));

    /// <summary>Uploads and programs a bitstream (TVM's program_fpga); the board's DRAM starts empty afterwards.</summary>
    public ProgramReply ProgramBitstream(string name, byte[] bitstream, Hardware.Config.VtaConfig? builtFor = null) =>
        Call("ProgramBitstream", () => _client.ProgramBitstream(new ProgramRequest
        {
            Name = name,
            Bitstream = Google.Protobuf.ByteString.CopyFrom(bitstream),
            ConfigJson = builtFor is null ? "" : Hardware.Config.VtaConfigLoader.ToJson(builtFor),
        }, _headers));

    /// <summary>TVM's reconfig_runtime for a configuration.</summary>
    public BoardConfig Reconfigure(Hardware.Config.VtaConfig config) =>
        Call("Reconfigure", () => _client.Reconfigure(new ReconfigureRequest { ConfigJson = Hardware.Config.VtaConfigLoader.ToJson(config) }, _headers));

    /// <summary>Asks the agent to stop serving (TVM's tvm.rpc.server.shutdown).</summary>
    public void Shutdown() => Call("Shutdown", () => _client.Shutdown(new Empty(), _headers));

    private T Call<T>(string what, Func<T> call)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_lostReason is not null)
        {
            // Every later call repeats the first failure, so the error a caller sees names what broke.
            throw new VtaRuntimeException(_lostReason);
        }

        try
        {
            return call();
        }
        catch (RpcException e)
        {
            var error = Translate(Name, what, e);
            if (e.Trailers.GetValue(RpcHeaders.ErrorKind) is null)
            {
                _lostReason = error.Message;
            }

            throw error;
        }
    }

    /// <summary>The agent's refusals keep their message; a broken connection says so, naming the call it broke.</summary>
    internal static Exception Translate(string name, string what, RpcException e)
    {
        string? kind = e.Trailers.GetValue(RpcHeaders.ErrorKind);
        return kind switch
        {
            "sim" => new VtaSimException($"{name}: {e.Status.Detail}"),
            not null => new VtaRuntimeException($"{name}: {e.Status.Detail}"),
            _ when e.StatusCode == StatusCode.ResourceExhausted => new VtaRuntimeException($"{name}: {what} refused: {e.Status.Detail}"),
            _ when what == "connecting" => new VtaRuntimeException($"{name}: cannot reach the board agent ({e.StatusCode}: {e.Status.Detail})"),
            _ => new VtaRuntimeException($"{name}: the board stopped answering during {what} ({e.StatusCode}: {e.Status.Detail})"),
        };
    }
}
