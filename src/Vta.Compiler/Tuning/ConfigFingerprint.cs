using System.Security.Cryptography;
using System.Text;
using Vta.Hardware.Config;

namespace Vta.Compiler.Tuning;

/// <summary>
/// A short hash of every hardware parameter of a configuration (TVM's keys: target, version, widths, GEMM shape,
/// buffer sizes), so records made for one configuration are never applied to another that shares its name.
/// </summary>
public static class ConfigFingerprint
{
    public static string Of(VtaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // The file form: every key, in TVM's order, one fixed spelling.
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(VtaConfigLoader.ToJson(config))))[..16];
    }
}
