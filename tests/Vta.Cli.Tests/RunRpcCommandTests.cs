using System.Text.Json.Nodes;
using Vta.Rpc.Agent;
using Vta.Rpc.Backends;

namespace Vta.Cli.Tests;

/// <summary>vta run --device rpc://: the package is uploaded to an agent and run there; the output is a local run's.</summary>
public class RunRpcCommandTests
{
    private static readonly string s_model = ClassifyTestModels.PathOf(ClassifyTestModels.ResNet8);

    [Fact]
    public async Task A_run_on_a_timing_agent_prints_what_a_local_timing_run_prints()
    {
        using var dir = new TempDir();
        string pkg = dir.File("resnet8.vtapkg");
        Assert.Equal(0, Cli.Run("compile", s_model, "--output", pkg).Code);
        await using var agent = await BoardAgent.StartAsync(SimBackend.Timing(), new AgentOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            WorkDirectory = dir.File("agent"),
        });

        var local = await OwnThread(() => Cli.Run("run", pkg, "--json", "--seed", "3", "--device", "timing", "--cpu-backend", "managed", "--output", dir.File("local.npz")));
        var remote = await OwnThread(() => Cli.Run("run", pkg, "--json", "--seed", "3", "--device", agent.Uri, "--cpu-backend", "managed", "--output", dir.File("remote.npz")));
        Assert.True(local.Code == 0, local.Err);
        Assert.True(remote.Code == 0, remote.Err);

        JsonNode a = JsonNode.Parse(local.Out)!;
        JsonNode b = JsonNode.Parse(remote.Out)!;
        Assert.Equal("timing", (string?)a["device"]);
        Assert.Equal(agent.Uri, (string?)b["device"]);
        Assert.True((long)b["cycles"]! > 0);
        Assert.Equal(WithoutHostFigures(a), WithoutHostFigures(b));
        Assert.Equal(File.ReadAllBytes(dir.File("local.npz")), File.ReadAllBytes(dir.File("remote.npz")));

        var text = await OwnThread(() => Cli.Run("run", pkg, "--seed", "3", "--device", agent.Uri, "--cpu-backend", "managed"));
        Assert.True(text.Code == 0, text.Err);
        Assert.Contains($"on {agent.Uri}", text.Out, StringComparison.Ordinal);
        Assert.Contains("GEMM utilization", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_on_an_agent_gives_the_local_answer_and_counters()
    {
        using var dir = new TempDir();
        await using var agent = await BoardAgent.StartAsync(SimBackend.Behavioral(), new AgentOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            WorkDirectory = dir.File("agent"),
        });
        string[] args = ["classify", "--model", ClassifyTestModels.ResNet8, "--models", ClassifyTestModels.Folder, "--json", "--cpu-backend", "managed"];

        var local = await OwnThread(() => Cli.Run([.. args, "--device", "sim"]));
        var remote = await OwnThread(() => Cli.Run([.. args, "--device", agent.Uri]));
        Assert.True(local.Code == 0, local.Err);
        Assert.True(remote.Code == 0, remote.Err);

        JsonNode a = JsonNode.Parse(local.Out)!, b = JsonNode.Parse(remote.Out)!;
        Assert.Equal(a["top"]!.ToJsonString(), b["top"]!.ToJsonString());
        Assert.Equal(a["counters"]!.ToJsonString(), b["counters"]!.ToJsonString());
        Assert.Equal(agent.Uri, (string?)b["device"]);
    }

    /// <summary>The JSON with the device name and host seconds (which differ between any two runs) taken out.</summary>
    private static string WithoutHostFigures(JsonNode run)
    {
        JsonObject copy = JsonNode.Parse(run.ToJsonString())!.AsObject();
        copy.Remove("device");
        copy.Remove("seconds");
        foreach (JsonNode? layer in copy["layers"]!.AsArray())
        {
            layer!.AsObject().Remove("seconds");
        }

        return copy.ToJsonString();
    }

    /// <summary>The CLI blocks its thread; the in-process agent must keep the pool's threads.</summary>
    private static Task<T> OwnThread<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
