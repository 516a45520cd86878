using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Rpc.Protocol;
using Vta.Sim;

namespace Vta.Rpc.Agent;

/// <summary>The gRPC face of a <see cref="Board"/>: checks the key, passes the session, turns faults into statuses.</summary>
internal sealed class AgentService(Board board) : VtaAgent.VtaAgentBase
{
    public override Task<InfoReply> Info(Empty request, ServerCallContext context) => Call(context, () =>
    {
        var reply = new InfoReply
        {
            Backend = board.BackendName,
            Config = ToProto(board.Config),
            BitstreamName = board.BitstreamName ?? "",
            BitstreamSha256 = board.BitstreamSha256 ?? "",
            Limits = new Limits
            {
                MaxBitstreamBytes = board.Options.MaxBitstreamBytes,
                MaxCopyBytes = board.Options.MaxCopyBytes,
                MaxDramBytes = board.Options.MaxDramBytes,
                RunTimeLimitMs = (long)board.Options.RunTimeLimit.TotalMilliseconds,
                MaxPackageBytes = board.Options.MaxPackageBytes,
            },
            Held = board.Held,
            Waiting = board.Waiting,
            DramBytes = board.DramBytes,
        };
        reply.BitstreamKinds.AddRange(board.BitstreamKinds.Select(BitstreamImage.KindName));
        return Task.FromResult(reply);
    });

    public override async Task Open(OpenRequest request, IServerStreamWriter<SessionEvent> responseStream, ServerCallContext context)
    {
        CheckKey(context);
        Task? position = null;
        try
        {
            await board.HoldAsync(request.Client,
                ahead => position = responseStream.WriteAsync(new SessionEvent { QueuePosition = ahead }),
                async session =>
                {
                    if (position is not null)
                    {
                        await position.ConfigureAwait(false);
                    }

                    await responseStream.WriteAsync(new SessionEvent { Session = session }).ConfigureAwait(false);
                },
                context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client stopped waiting.
        }
    }

    public override Task<Empty> Close(Empty request, ServerCallContext context) =>
        Call(context, async () =>
        {
            await board.CloseAsync(Session(context)).ConfigureAwait(false);
            return new Empty();
        });

    public override Task<ProgramReply> ProgramBitstream(ProgramRequest request, ServerCallContext context) => Call(context, async () =>
    {
        var (image, config) = await board.ProgramAsync(Session(context), request.Name, request.Bitstream.ToByteArray(), request.ConfigJson).ConfigureAwait(false);
        return new ProgramReply { Config = ToProto(config), Sha256 = image.Sha256, Kind = BitstreamImage.KindName(image.Kind), Description = image.Describe() };
    });

    public override Task<BoardConfig> Reconfigure(ReconfigureRequest request, ServerCallContext context) =>
        Call(context, async () => ToProto(await board.ReconfigureAsync(Session(context), request.ConfigJson).ConfigureAwait(false)));

    public override Task<AllocateReply> Allocate(AllocateRequest request, ServerCallContext context) =>
        Call(context, async () => new AllocateReply { PhysAddr = await board.AllocateAsync(Session(context), request.Bytes).ConfigureAwait(false) });

    public override Task<Empty> Free(FreeRequest request, ServerCallContext context) => Call(context, async () =>
    {
        await board.FreeAsync(Session(context), request.PhysAddr).ConfigureAwait(false);
        return new Empty();
    });

    public override Task<Empty> CopyIn(CopyInRequest request, ServerCallContext context) => Call(context, async () =>
    {
        await board.CopyInAsync(Session(context), request.PhysAddr, request.Data.Memory).ConfigureAwait(false);
        return new Empty();
    });

    public override Task<CopyOutReply> CopyOut(CopyOutRequest request, ServerCallContext context) => Call(context, async () =>
        new CopyOutReply { Data = UnsafeByteOperations.UnsafeWrap(await board.CopyOutAsync(Session(context), request.PhysAddr, request.Bytes).ConfigureAwait(false)) });

    public override Task<RunReply> Run(RunRequest request, ServerCallContext context) => Call(context, async () =>
    {
        var (result, elapsed) = await board.RunAsync(Session(context), request.InsnPhysAddr, request.InsnCount,
            request.ClientModel, request.ClientHwVer, context.CancellationToken).ConfigureAwait(false);
        return new RunReply { Instructions = result.Instructions, HasCycles = result.Cycles.HasValue, Cycles = result.Cycles ?? 0, Seconds = elapsed.TotalSeconds };
    });

    public override Task<Counters> ReadCounters(Empty request, ServerCallContext context) =>
        Call(context, async () => PackageMessages.ToProto(await board.ReadCountersAsync(Session(context)).ConfigureAwait(false)));

    public override Task<Empty> ClearCounters(Empty request, ServerCallContext context) => Call(context, async () =>
    {
        await board.ClearCountersAsync(Session(context)).ConfigureAwait(false);
        return new Empty();
    });

    public override Task<Empty> Shutdown(Empty request, ServerCallContext context) => Call(context, async () =>
    {
        await board.RequestShutdownAsync(Session(context)).ConfigureAwait(false);
        return new Empty();
    });

    public override Task<PackageReply> UploadPackage(IAsyncStreamReader<PackageChunk> requestStream, ServerCallContext context) => Call(context, async () =>
    {
        StoredPackage stored = await board.UploadPackageAsync(Session(context), requestStream.ReadAllAsync(context.CancellationToken),
            context.CancellationToken).ConfigureAwait(false);
        return new PackageReply { PackageId = stored.Id, Model = stored.Package.Info.Model, Config = ToProto(stored.Package.Config), Bytes = stored.Bytes };
    });

    public override Task<RunPackageReply> RunPackage(RunPackageRequest request, ServerCallContext context) => Call(context, async () =>
    {
        var (result, notes) = await board.RunPackageAsync(Session(context), request.PackageId, request.Inputs, request.CpuBackend,
            context.CancellationToken).ConfigureAwait(false);
        var reply = new RunPackageReply { Counters = PackageMessages.ToProto(result.Counters), Seconds = result.Seconds };
        reply.Outputs.AddRange(result.Outputs.Select(o => PackageMessages.ToProto(o.Key, o.Value)));
        reply.Layers.AddRange(result.Layers.Select(PackageMessages.ToProto));
        reply.Notes.AddRange(notes);
        return reply;
    });

    internal static BoardConfig ToProto(VtaConfig c) => new() { Model = c.Model, HwVer = c.HwVer, ConfigJson = VtaConfigLoader.ToJson(c) };

    private static string? Session(ServerCallContext context) => context.RequestHeaders.GetValue(RpcHeaders.Session);

    private void CheckKey(ServerCallContext context)
    {
        if (string.IsNullOrEmpty(board.Options.Key))
        {
            return;
        }

        string given = context.RequestHeaders.GetValue(RpcHeaders.Key) ?? "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(board.Options.Key)))
        {
            throw new RpcFault(StatusCode.PermissionDenied, "auth",
                given.Length == 0 ? "refused: this agent needs a key and the client sent none" : "refused: key mismatch").ToRpcException();
        }
    }

    private async Task<T> Call<T>(ServerCallContext context, Func<Task<T>> body)
    {
        try
        {
            CheckKey(context);
            return await body().ConfigureAwait(false);
        }
        catch (RpcFault fault)
        {
            throw fault.ToRpcException();
        }
        catch (Exception e) when (e is not RpcException && !context.CancellationToken.IsCancellationRequested)
        {
            // An agent-side failure (a full disk, a backend error) is reported as such, not as a broken connection.
            throw new RpcFault(StatusCode.Internal, "runtime", $"agent error: {e.GetType().Name}: {e.Message}").ToRpcException();
        }
    }
}
