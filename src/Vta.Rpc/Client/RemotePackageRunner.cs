using System.Security.Cryptography;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Rpc.Protocol;
using Vta.Runtime;
using Vta.Sim.Timing;

namespace Vta.Rpc.Client;

/// <summary>What a run on a remote board returns: the run as a local one returns it, the total timing, and notes.</summary>
/// <param name="Result">Outputs (typed as the package's graph types them), counters, per-layer records, the agent's seconds.</param>
/// <param name="Timing">The sum of the VTA layers' timing reports on a board that models time (the timing backend), else null.</param>
/// <param name="Notes">What the agent said about the run, e.g. that LLVM was not available there and the managed kernels ran.</param>
public sealed record RemoteRunResult(ModelRunResult Result, TimingReport? Timing, IReadOnlyList<string> Notes);

/// <summary>
/// A compiled package on a board over RPC: uploaded once, then each <see cref="Run"/> is one call in which the agent
/// runs the whole model (the same <c>BoundProgram</c> a local run uses) instead of a round trip per copy and stream.
/// </summary>
public sealed class RemotePackageRunner : IDisposable
{
    private readonly RemoteDevice _device;
    private readonly bool _ownsDevice;

    private RemotePackageRunner(RemoteDevice device, bool ownsDevice, VtaPackage package, string id)
    {
        _device = device;
        _ownsDevice = ownsDevice;
        Package = package;
        PackageId = id;
    }

    /// <summary>rpc://HOST:PORT.</summary>
    public string Name => _device.Name;

    /// <summary>The session the runner uses (its board calls: Info, Program, Reconfigure).</summary>
    public RemoteDevice Device => _device;

    public VtaPackage Package { get; }

    /// <summary>The agent's id of the package: the SHA-256 of its bytes.</summary>
    public string PackageId { get; }

    /// <summary>Connects to the board at <paramref name="uri"/>, holds it, and uploads the package at <paramref name="path"/>.</summary>
    public static RemotePackageRunner Connect(string uri, string path, VtaPackage? loaded = null, RemoteDeviceOptions? options = null)
    {
        VtaPackage package = loaded ?? VtaPackage.Load(path);
        byte[] bytes = File.ReadAllBytes(path);
        RemoteDevice device = RemoteDevice.Connect(uri, package.Config, options);
        try
        {
            return Upload(device, package, bytes, ownsDevice: true);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>Uploads <paramref name="bytes"/> (the file <paramref name="package"/> was loaded from) in <paramref name="device"/>'s session.</summary>
    public static RemotePackageRunner Upload(RemoteDevice device, VtaPackage package, byte[] bytes, bool ownsDevice = false)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(bytes);
        PackageReply reply = device.UploadPackage(bytes);
        string sent = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (reply.PackageId != sent)
        {
            throw new VtaRuntimeException($"{device.Name}: the agent stored package {reply.PackageId}, the bytes sent hash to {sent}");
        }

        return new RemotePackageRunner(device, ownsDevice, package, reply.PackageId);
    }

    /// <summary>Runs the package once; <paramref name="cpuBackend"/> names the CPU back end the agent uses (llvm or managed).</summary>
    public RemoteRunResult Run(IReadOnlyDictionary<string, Tensor> inputs, string cpuBackend = "managed")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var request = new RunPackageRequest { PackageId = PackageId, CpuBackend = cpuBackend };
        request.Inputs.AddRange(inputs.Select(i => PackageMessages.ToProto(i.Key, i.Value)));
        RunPackageReply reply = _device.RunPackage(request);

        Graph graph = Package.Graph;
        var outputs = new Dictionary<string, Tensor>();
        foreach (string name in graph.Outputs)
        {
            NamedTensor m = reply.Outputs.FirstOrDefault(o => o.Name == name)
                ?? throw new VtaRuntimeException($"{Name}: the agent's reply has no output '{name}'");
            outputs[name] = PackageMessages.FromProto(m, graph.TypeOf(name), out string? problem)
                ?? throw new VtaRuntimeException($"{Name}: the agent's output '{name}' {problem}");
        }

        List<LayerRecord> layers = [.. reply.Layers.Select(PackageMessages.FromProto)];
        TimingReport? timing = null;
        foreach (TimingReport t in layers.Select(l => l.Timing).OfType<TimingReport>())
        {
            timing = (timing ?? TimingReport.Empty(t.ClockMHz)).Add(t);
        }

        var result = new ModelRunResult(outputs, PackageMessages.FromProto(reply.Counters), layers, reply.Seconds, null);
        return new RemoteRunResult(result, timing, [.. reply.Notes]);
    }

    /// <summary>Gives the board back when this runner connected it.</summary>
    public void Dispose()
    {
        if (_ownsDevice)
        {
            _device.Dispose();
        }
    }
}
