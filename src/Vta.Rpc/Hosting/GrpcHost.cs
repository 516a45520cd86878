using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vta.Rpc.Hosting;

/// <summary>
/// Kestrel serving gRPC over cleartext HTTP/2 on one address, with no configuration read from files or the
/// environment (an agent must listen exactly where it was told), and without console logging.
/// </summary>
internal static class GrpcHost
{
    public static WebApplication Build(string host, int port, int maxReceiveBytes, int maxSendBytes, Action<IServiceCollection> services)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(Resolve(host), port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddLogging(l => l.ClearProviders());
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = maxReceiveBytes;
            o.MaxSendMessageSize = maxSendBytes;
        });
        services(builder.Services);
        return builder.Build();
    }

    /// <summary>The port Kestrel bound (the one asked for, or the one it picked for port 0).</summary>
    public static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        string address = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server reports no address");
        return new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
    }

    /// <summary>Stops at once: open calls are aborted, as if the process had died.</summary>
    public static async Task KillAsync(WebApplication app)
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync().ConfigureAwait(false);
        try
        {
            await app.StopAsync(now.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static IPAddress Resolve(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "" or "*" => IPAddress.Any,
        _ when IPAddress.TryParse(host, out var ip) => ip,
        _ => Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new IOException($"cannot resolve host '{host}'"),
    };
}
