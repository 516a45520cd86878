using System.Globalization;

namespace Vta.Rpc.Client;

/// <summary>Parses board addresses: rpc://HOST:PORT (optionally rpc://KEY@HOST:PORT), or plain HOST:PORT.</summary>
public static class RpcAddress
{
    public const string Scheme = "rpc://";

    public static bool IsRpc(string text) => text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Host, port and the key given in the address (null when none).</summary>
    public static (string Host, int Port, string? Key) Parse(string address, int defaultPort = 9091)
    {
        string rest = IsRpc(address) ? address[Scheme.Length..] : address;
        string? key = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            key = Uri.UnescapeDataString(rest[..at]);
            rest = rest[(at + 1)..];
        }

        var (host, port) = ParseHostPort(rest.TrimEnd('/'), defaultPort);
        return (host, port, key);
    }

    public static (string Host, int Port) ParseHostPort(string text, int defaultPort)
    {
        string host = text;
        int port = defaultPort;
        int colon = text.LastIndexOf(':');
        bool bracketed = text.StartsWith('[');
        if (colon > 0 && (!bracketed || text.LastIndexOf(']') < colon) && (bracketed || text.IndexOf(':') == colon))
        {
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new FormatException($"bad port in '{text}': expected HOST:PORT with a port from 1 to 65535");
            }

            host = text[..colon];
        }

        host = host.Trim('[', ']');
        if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"bad address '{text}': expected HOST:PORT");
        }

        return (host, port);
    }

    public static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
}
