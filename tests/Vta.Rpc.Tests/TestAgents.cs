using System.Reflection;
using Vta.Hardware.Config;
using Vta.Rpc.Agent;
using Vta.Rpc.Backends;

namespace Vta.Rpc.Tests;

/// <summary>Agents on 127.0.0.1 with a port the OS picks and a scratch work directory, all removed afterwards.</summary>
internal static class TestAgents
{
    public static string RepoRoot { get; } = typeof(TestAgents).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!;

    public static AgentOptions Options(string workDirectory, VtaConfig? config = null) => new()
    {
        Host = "127.0.0.1",
        Port = 0,
        WorkDirectory = workDirectory,
        InitialConfig = config ?? VtaConfig.Default,
        RunTimeLimit = TimeSpan.FromSeconds(30),
    };

    public static Task<BoardAgent> StartSim(TempDir dir, Func<AgentOptions, AgentOptions>? adjust = null, IBoardBackend? backend = null)
    {
        var options = Options(dir.Path);
        return BoardAgent.StartAsync(backend ?? SimBackend.Behavioral(), adjust is null ? options : adjust(options));
    }

    /// <summary>
    /// Runs a client on a thread of its own: devices are synchronous, and clients blocking pool threads would starve
    /// the in-process agents and trackers they talk to.
    /// </summary>
    public static Task<T> OnOwnThread<T>(Func<Task<T>> body) =>
        Task.Factory.StartNew(() => body().GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static Task<T> OnOwnThread<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException($"timed out after {timeoutMs} ms waiting for {what}");
            }

            await Task.Delay(10);
        }
    }
}

/// <summary>A scratch folder per test, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vta-rpc-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
