using Vta.Compiler.Cpu;
using Vta.Compiler.Graphs;
using Vta.Compiler.Models;
using Vta.Compiler.Programs;
using Vta.Hardware.Bitstreams;
using Vta.Hardware.Config;
using Vta.Rpc.Backends;
using Vta.Rpc.Client;
using Vta.Rpc.Protocol;
using Vta.Runtime;
using Vta.Runtime.Devices;

namespace Vta.Rpc.Tests;

/// <summary>Compiled packages over RPC: uploaded once, run in one call, equal to a local run; every refusal names what is wrong.</summary>
public sealed class PackageTests(ResNet8Package resnet) : IClassFixture<ResNet8Package>
{
    [Fact]
    public async Task A_package_run_on_the_agent_equals_a_local_run_on_the_simulator()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        ModelRunResult local = LocalRun(new SimDevice(VtaConfig.Default));

        using var runner = RemotePackageRunner.Connect(agent.Uri, resnet.Path);
        RemoteRunResult first = runner.Run(resnet.Inputs);
        RemoteRunResult second = runner.Run(resnet.Inputs);

        foreach (RemoteRunResult remote in new[] { first, second })
        {
            AssertSameRun(local, remote.Result);
            Assert.Null(remote.Timing);
        }

        Assert.True(local.Counters.GemmCounter > 0);
        // Stored under its content hash in the work directory, and nothing else left there.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(resnet.Bytes)), runner.PackageId);
        Assert.Equal(new[] { Path.Combine(dir.Path, "packages", runner.PackageId + ".vtapkg") }, Directory.GetFiles(Path.Combine(dir.Path, "packages")));
        Assert.Equal(resnet.Bytes, File.ReadAllBytes(Path.Combine(dir.Path, "packages", runner.PackageId + ".vtapkg")));
        Assert.Single(agent.Board.Journal.Snapshot(), e => e.What == "package-uploaded");
        Assert.Equal(2, agent.Board.Journal.Snapshot().Count(e => e.What == "run-start"));
        Assert.Equal(0, agent.Board.DramBytes);
    }

    [Fact]
    public async Task On_the_timing_backend_every_VTA_layer_has_the_cycles_of_a_local_timing_run()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir, backend: SimBackend.Timing());
        var device = new TimingDevice(VtaConfig.Default);
        ModelRunResult local = LocalRun(device);

        using var runner = RemotePackageRunner.Connect(agent.Uri, resnet.Path);
        RemoteRunResult remote = runner.Run(resnet.Inputs);

        AssertSameRun(local, remote.Result);
        Assert.Equal(local.Layers.Select(l => l.Cycles), remote.Result.Layers.Select(l => l.Cycles));
        Assert.Equal(local.Layers.Select(l => l.Timing?.ToList()), remote.Result.Layers.Select(l => l.Timing?.ToList()));
        Assert.All(remote.Result.Layers.Where(l => l.Target == ExecutionTarget.Vta), l => Assert.True(l.Cycles > 0, l.Name));
        Assert.NotNull(remote.Timing);
        Assert.Equal(device.TotalReport.ToList(), remote.Timing.ToList());
    }

    [Fact]
    public async Task A_package_for_another_configuration_than_the_programmed_one_is_refused_with_both_names()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        var other = VtaConfig.Create(logAccBuffSize: 16);
        using var remote = RemoteDevice.Connect(agent.Uri, VtaConfig.Default);
        remote.ProgramBitstream("other.bit", SimBitstream.Create(other));
        using var runner = RemotePackageRunner.Upload(remote, resnet.Package, resnet.Bytes);

        var e = Assert.Throws<VtaRuntimeException>(() => runner.Run(resnet.Inputs));
        Assert.Contains($"programmed for {other.Model}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"compiled for {VtaConfig.Default.Model}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(agent.Board.Journal.Snapshot(), ev => ev.What == "run-start");
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_refused_and_leaves_no_file()
    {
        using var dir = new TempDir();
        long limit = resnet.Bytes.Length / 2;
        await using var agent = await TestAgents.StartSim(dir, o => o with { MaxPackageBytes = limit });
        var e = Assert.Throws<VtaRuntimeException>(() => RemotePackageRunner.Connect(agent.Uri, resnet.Path));
        Assert.Contains($"package upload of {resnet.Bytes.Length} bytes is over the agent's limit of {limit} bytes", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "packages")));

        // Bytes that are no package are refused as such, and not stored either.
        using var remote = RemoteDevice.Connect(agent.Uri);
        var junk = Assert.Throws<VtaRuntimeException>(() => RemotePackageRunner.Upload(remote, resnet.Package, new byte[1000]));
        Assert.Contains("not a package", junk.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "packages")));
    }

    [Fact]
    public async Task Unknown_and_malformed_package_ids_are_refused_naming_the_field()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        using var remote = RemoteDevice.Connect(agent.Uri);
        string unknown = new('a', 64);
        var e = Assert.Throws<VtaRuntimeException>(() => remote.RunPackage(new RunPackageRequest { PackageId = unknown }));
        Assert.Contains($"package_id {unknown}: no such package", e.Message, StringComparison.Ordinal);

        foreach (string bad in new[] { "../../etc/passwd", "", new string('A', 64) })
        {
            var m = Assert.Throws<VtaRuntimeException>(() => remote.RunPackage(new RunPackageRequest { PackageId = bad }));
            Assert.Contains($"package_id '{bad}' is not a package id", m.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Inputs_of_the_wrong_name_dtype_shape_or_size_are_refused_naming_the_input()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir);
        using var runner = RemotePackageRunner.Connect(agent.Uri, resnet.Path);
        string input = resnet.Package.Graph.Inputs[0];
        TensorType type = resnet.Package.Graph.TypeOf(input);
        Tensor good = resnet.Inputs[input];

        string Refused(Dictionary<string, Tensor> inputs) => Assert.Throws<VtaRuntimeException>(() => runner.Run(inputs)).Message;

        string wrongName = Refused(new() { ["image"] = good });
        Assert.Contains("inputs[0] 'image'", wrongName, StringComparison.Ordinal);
        Assert.Contains($"its inputs: {input}", wrongName, StringComparison.Ordinal);

        string wrongDtype = Refused(new() { [input] = Tensor.Zeros(type with { DType = DataType.Float32, Quant = null }) });
        Assert.Contains($"inputs[0] '{input}': is float32{type.Shape}, expected {type.DType.Name()}{type.Shape}", wrongDtype, StringComparison.Ordinal);

        var shape = new Shape([.. type.Shape.Take(type.Shape.Rank - 1), type.Shape[type.Shape.Rank - 1] + 1]);
        string wrongShape = Refused(new() { [input] = Tensor.Zeros(type with { Shape = shape }) });
        Assert.Contains($"inputs[0] '{input}': is {type.DType.Name()}{shape}", wrongShape, StringComparison.Ordinal);

        string missing = Refused([]);
        Assert.Contains($"needs input '{input}'", missing, StringComparison.Ordinal);

        // Raw bytes that do not fill the shape.
        var request = new RunPackageRequest { PackageId = runner.PackageId };
        var tensor = PackageMessages.ToProto(input, good);
        tensor.Data = Google.Protobuf.ByteString.CopyFrom(good.AsBytes()[1..]);
        request.Inputs.Add(tensor);
        string shortData = Assert.Throws<VtaRuntimeException>(() => runner.Device.RunPackage(request)).Message;
        Assert.Contains($"inputs[0] '{input}': has {good.AsBytes().Length - 1} bytes", shortData, StringComparison.Ordinal);

        string badBackend = Assert.Throws<VtaRuntimeException>(() => runner.Run(resnet.Inputs, "fortran")).Message;
        Assert.Contains("cpu_backend: unknown CPU back end 'fortran'", badBackend, StringComparison.Ordinal);

        Assert.DoesNotContain(agent.Board.Journal.Snapshot(), ev => ev.What == "run-start");
        AssertSameRun(LocalRun(new SimDevice(VtaConfig.Default)), runner.Run(resnet.Inputs).Result);
    }

    [Fact]
    public async Task A_package_run_over_the_time_limit_is_stopped_and_the_board_stays_usable()
    {
        using var dir = new TempDir();
        await using var agent = await TestAgents.StartSim(dir, o => o with { RunTimeLimit = TimeSpan.FromMilliseconds(1) });
        using var runner = RemotePackageRunner.Connect(agent.Uri, resnet.Path);
        var e = Assert.Throws<VtaRuntimeException>(() => runner.Run(resnet.Inputs));
        Assert.Contains($"run stopped: package resnet8 ({runner.PackageId[..12]}) ran longer than the agent's limit", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, agent.Board.DramBytes);
        Assert.Equal(VtaConfig.Default.Model, runner.Device.Info().Config.Model);
    }

    private ModelRunResult LocalRun(IVtaDevice device)
    {
        using (device)
        {
            using var bound = new BoundProgram(resnet.Package.Program, resnet.Package.Graph, device);
            return bound.Run(resnet.Inputs, new ModelRunOptions { CpuBackend = ManagedCpuBackend.Instance });
        }
    }

    private static void AssertSameRun(ModelRunResult local, ModelRunResult remote)
    {
        Assert.Equal(local.Outputs.Keys, remote.Outputs.Keys);
        foreach (var (name, value) in local.Outputs)
        {
            Assert.Equal(value.Type, remote.Outputs[name].Type);
            Assert.Equal(value.AsBytes().ToArray(), remote.Outputs[name].AsBytes().ToArray());
        }

        Assert.Equal(local.Counters.ToList(), remote.Counters.ToList());
        Assert.Equal(local.Layers.Select(l => (l.Name, l.Kind, l.Target)), remote.Layers.Select(l => (l.Name, l.Kind, l.Target)));
        Assert.Equal(local.Layers.Select(l => l.Counters.ToList()), remote.Layers.Select(l => l.Counters.ToList()));
        Assert.True(remote.Seconds > 0);
    }
}
