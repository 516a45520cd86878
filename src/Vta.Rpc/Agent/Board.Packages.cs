using System.Globalization;
using Grpc.Core;
using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Packages;
using Vta.Compiler.Programs;
using Vta.Rpc.Protocol;
using Vta.Sim.Timing;

namespace Vta.Rpc.Agent;

/// <summary>Compiled packages: upload once, then run whole models in one call each (the same code a local run uses).</summary>
public sealed partial class Board
{
    private PackageStore? _packages;

    private PackageStore Packages => _packages ??= new PackageStore(Options.WorkDirectory, Math.Max(1, Options.MaxPackages));

    /// <summary>Receives, checks and stores a package; the client must hold the board.</summary>
    public async Task<StoredPackage> UploadPackageAsync(string? session, IAsyncEnumerable<PackageChunk> chunks, CancellationToken cancel)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            StoredPackage stored = await Packages.AddAsync(chunks, Options.MaxPackageBytes, cancel).ConfigureAwait(false);
            Journal.Add(session!, "package-uploaded", $"{stored.Id} {stored.Package.Info.Model} {stored.Package.Config.Model}");
            return stored;
        }
    }

    /// <summary>
    /// Runs a stored package on the board's device with <paramref name="inputs"/>: refused (naming the field) for an
    /// unknown package, another configuration than the board's, or inputs that do not match the package's signature.
    /// </summary>
    public async Task<(ModelRunResult Result, IReadOnlyList<string> Notes)> RunPackageAsync(string? session, string packageId,
        IReadOnlyList<NamedTensor> inputs, string cpuBackend, CancellationToken cancel)
    {
        using (await EnterAsync(session).ConfigureAwait(false))
        {
            StoredPackage stored = Packages.Get(packageId);
            VtaPackage package = stored.Package;
            var board = _device.Config;
            if (!board.Equals(package.Config))
            {
                throw new RpcFault(StatusCode.FailedPrecondition, "config",
                    $"run refused: the board is programmed for {Describe(board)}, package {package.Info.Model} was compiled for {Describe(package.Config)}; program or reconfigure the board for {package.Config.Model} first");
            }

            var notes = new List<string>();
            ICpuBackend backend = CpuBackend(cpuBackend, notes);
            Dictionary<string, Tensor> feeds = Feeds(package, inputs);
            long arena = package.Program.ArenaBytes + package.Program.Alignment;
            if (arena > Options.MaxDramBytes - _allocations.LiveBytes)
            {
                throw new RpcFault(StatusCode.ResourceExhausted, "limit",
                    $"package {package.Info.Model} needs {arena} bytes of DRAM; with {_allocations.LiveBytes} held that is over the agent's limit of {Options.MaxDramBytes}");
            }

            Journal.Add(session!, "run-start", $"package {stored.Id}");
            try
            {
                var (result, _) = await RunLimitedAsync((device, stop) => Run(package, device, feeds, backend, stop),
                    $"package {package.Info.Model} ({stored.Id[..12]})", cancel).ConfigureAwait(false);
                return (result, notes);
            }
            catch (GraphException e)
            {
                throw new RpcFault(StatusCode.FailedPrecondition, "runtime", $"package {package.Info.Model}: {e.Message}");
            }
            finally
            {
                Journal.Add(session!, "run-end");
            }
        }
    }

    private ModelRunResult Run(VtaPackage package, Runtime.Devices.IVtaDevice device, Dictionary<string, Tensor> feeds, ICpuBackend backend, CancellationToken stop)
    {
        var stoppable = new StoppableDevice(device, _backend, stop);
        IPreparedCpu cpu = CpuBackends.PrepareFor(package.Graph, backend);
        ModelRunResult result;
        using (var bound = new BoundProgram(package.Program, package.Graph, stoppable))
        {
            result = bound.Run(feeds, new ModelRunOptions { PreparedCpu = cpu });
        }

        return stoppable.Reports.Count == 0 ? result : result with { Layers = WithTiming(package.Program, result.Layers, stoppable.Reports) };
    }

    /// <summary>
    /// The timing simulator's per-layer figures, as a local timing device gives them: a VTA step runs its chunks in
    /// order, one stream each, so step i's report is the sum of its chunks' reports.
    /// </summary>
    private static List<LayerRecord> WithTiming(ModelProgram program, IReadOnlyList<LayerRecord> layers, IReadOnlyList<TimingReport> reports)
    {
        var records = new List<LayerRecord>(layers.Count);
        int next = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            if (program.Steps[i] is not VtaProgramStep step)
            {
                records.Add(layers[i]);
                continue;
            }

            TimingReport sum = TimingReport.Empty(reports[0].ClockMHz);
            for (int c = 0; c < step.Chunks.Count; c++)
            {
                sum = sum.Add(reports[next++]);
            }

            records.Add(layers[i] with { Cycles = sum.Cycles, Timing = sum });
        }

        if (next != reports.Count)
        {
            throw new InvalidOperationException($"the run made {reports.Count} streams, its VTA steps have {next} chunks");
        }

        return records;
    }

    private static ICpuBackend CpuBackend(string name, List<string> notes)
    {
        try
        {
            return CpuBackends.Create(name.Length == 0 ? CpuBackends.ManagedName : name, notes.Add);
        }
        catch (ArgumentException e)
        {
            throw new RpcFault(StatusCode.InvalidArgument, "input", $"cpu_backend: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <summary>The inputs as the package's graph types them, or a refusal that names the input.</summary>
    private static Dictionary<string, Tensor> Feeds(VtaPackage package, IReadOnlyList<NamedTensor> inputs)
    {
        Graph graph = package.Graph;
        string model = package.Info.Model;
        var feeds = new Dictionary<string, Tensor>();
        for (int i = 0; i < inputs.Count; i++)
        {
            NamedTensor m = inputs[i];
            string at = $"inputs[{i.ToString(CultureInfo.InvariantCulture)}] '{m.Name}'";
            if (!graph.Inputs.Contains(m.Name))
            {
                throw Input($"{at}: package {model} has no input of that name (its inputs: {string.Join(", ", graph.Inputs)})");
            }

            if (feeds.ContainsKey(m.Name))
            {
                throw Input($"{at}: input '{m.Name}' is given twice");
            }

            feeds[m.Name] = PackageMessages.FromProto(m, graph.TypeOf(m.Name), out string? problem)
                ?? throw Input($"{at}: {problem} (package {model})");
        }

        foreach (string missing in graph.Inputs.Where(n => !feeds.ContainsKey(n)))
        {
            throw Input($"inputs: package {model} needs input '{missing}' ({graph.TypeOf(missing).DType.Name()}{graph.TypeOf(missing).Shape}), it was not given");
        }

        return feeds;
    }

    private static RpcFault Input(string message) => new(StatusCode.InvalidArgument, "input", message);
}
