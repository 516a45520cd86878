using Vta.Hardware.Config;

namespace Vta.Rpc.Agent;

/// <summary>What an agent listens on and the limits it enforces.</summary>
public sealed record AgentOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (read it from <see cref="BoardAgent.Port"/>).</summary>
    public int Port { get; init; } = 9091;

    /// <summary>TVM's key: names the board kind at the tracker and, when set, every client must present it.</summary>
    public string? Key { get; init; }

    /// <summary>Where uploaded bitstreams and packages are kept; nothing is written outside it.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "vta-agent");

    /// <summary>The configuration the board starts with, before anything is programmed.</summary>
    public VtaConfig InitialConfig { get; init; } = VtaConfig.Default;

    public long MaxBitstreamBytes { get; init; } = 64L << 20;

    /// <summary>Largest compiled package (.vtapkg) a client may upload.</summary>
    public long MaxPackageBytes { get; init; } = 256L << 20;

    /// <summary>Packages kept at once; uploading one more drops the least recently used (file and all).</summary>
    public int MaxPackages { get; init; } = 8;

    /// <summary>Largest single CopyIn/CopyOut (clients split larger copies).</summary>
    public long MaxCopyBytes { get; init; } = 16L << 20;

    /// <summary>Most DRAM the clients may hold at once.</summary>
    public long MaxDramBytes { get; init; } = 1L << 30;

    public TimeSpan RunTimeLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a stopped run may take to reach an instruction boundary before the board is reset.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Tracker to register with (host:port), or null.</summary>
    public string? Tracker { get; init; }

    /// <summary>The name the agent gives the tracker.</summary>
    public string? Name { get; init; }
}
