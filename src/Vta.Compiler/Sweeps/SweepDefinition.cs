using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vta.Compiler.Resources;
using Vta.Hardware.Config;

namespace Vta.Compiler.Sweeps;

/// <summary>
/// Everything that decides a sweep's rows: what is evaluated, the base configuration, the grid and its sampling, and the
/// device the utilization column refers to. Shards of one sweep share it, and so its <see cref="Hash"/>; the shard itself
/// is not part of it.
/// </summary>
public sealed class SweepDefinition
{
    public const string FormatVersion = "vta-sweep/1";

    public SweepDefinition(ISweepTarget target, VtaConfig baseConfig, SweepSpace space, FpgaDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(baseConfig);
        ArgumentNullException.ThrowIfNull(space);
        Target = target;
        BaseConfig = baseConfig;
        Space = space;
        Device = device ?? FpgaDevice.ForTarget(baseConfig.Target);
        Hash = ComputeHash();
    }

    public ISweepTarget Target { get; }

    public VtaConfig BaseConfig { get; }

    public SweepSpace Space { get; }

    /// <summary>The device of the utilization column and the report's front.</summary>
    public FpgaDevice Device { get; }

    /// <summary>The first 16 hex digits of SHA-256 over the canonical text of the definition.</summary>
    public string Hash { get; }

    public IReadOnlyList<string> VariedKeys => [.. Space.Axes.Select(a => a.Key)];

    /// <summary>The comment line that opens every output CSV: version, hash and the definition in words.</summary>
    public string HeaderComment =>
        $"# {FormatVersion} hash={Hash} target={Target.Name} vary={string.Join(' ', Space.Axes)} "
        + $"samples={(Space.Samples is { } n ? n.ToString(CultureInfo.InvariantCulture) : "all")} seed={Space.Seed.ToString(CultureInfo.InvariantCulture)} "
        + $"device={Device.Name} base={BaseConfig.Model}";

    /// <summary>Reads the hash back out of a header comment; null if the line is not one.</summary>
    public static string? HashOf(string headerComment)
    {
        ArgumentNullException.ThrowIfNull(headerComment);
        if (!headerComment.StartsWith("# " + FormatVersion + " ", StringComparison.Ordinal))
        {
            return null;
        }

        string? field = headerComment.Split(' ').FirstOrDefault(f => f.StartsWith("hash=", StringComparison.Ordinal));
        return field?["hash=".Length..];
    }

    private string ComputeHash()
    {
        var text = new StringBuilder()
            .Append(FormatVersion).Append('\n')
            .Append("target=").Append(Target.Name).Append('\n')
            .Append("definition=").Append(Target.Definition).Append('\n')
            .Append("base=").Append(VtaConfigLoader.ToJson(BaseConfig))
            .Append("vary=").Append(string.Join(';', Space.Axes)).Append('\n')
            .Append("samples=").Append(Space.Samples?.ToString(CultureInfo.InvariantCulture) ?? "all").Append('\n')
            .Append("seed=").Append(Space.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("device=").Append(Device.Name).Append('\n');
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(digest)[..16];
    }
}
