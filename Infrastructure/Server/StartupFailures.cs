using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace IgLive.Service.Infrastructure.Server;

/// <summary>
/// Start-up failures an operator fixes without reading code (port taken, no permission to bind) end the process with
/// one line on stderr and exit code 1, not a stack trace; the host's own "Hosting failed to start" error is muted in
/// <see cref="ServerExtensions.AddIgLiveServer"/> for that reason.
/// </summary>
public static class StartupFailures
{
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        // Checked before the host starts: once it has, a failed bind also cancels every background service, and each
        // of those logs its cancellation with a stack trace.
        if (PortTaken(app.Configuration) is { } taken)
        {
            await Console.Error.WriteLineAsync($"startup error: Failed to bind to address {taken}: address already in use.");
            return 1;
        }
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (Explain(e) is { } line)
        {
            await Console.Error.WriteLineAsync("startup error: " + line);
            return 1;
        }
    }

    /// <summary>The first configured http(s) address (<c>urls</c>, <c>http_ports</c>, Kestrel endpoints) already bound by another process.</summary>
    internal static string? PortTaken(IConfiguration config)
    {
        var urls = (config["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat((config["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"))
            .Concat(config.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
            .ToList();
        if (urls.Count == 0) urls.Add("http://localhost:5000");
        foreach (var url in urls)
        {
            var hostStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
            var portStart = url.LastIndexOf(':');
            if (hostStart < 3 || portStart < hostStart || !int.TryParse(url[(portStart + 1)..].TrimEnd('/'), out var port) || port == 0) continue;
            var host = url[hostStart..portStart].Trim('[', ']');
            var address = host is "*" or "+" or "0.0.0.0" ? IPAddress.Any
                : host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host, out var ip) ? ip : null;
            if (address is null) continue;
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try { probe.Bind(new IPEndPoint(address, port)); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse) { return url; }
            catch (SocketException) { } // not ours to judge (no permission, no such address): Kestrel reports it
        }
        return null;
    }

    private static string? Explain(Exception e) => e switch
    {
        IOException { InnerException: AddressInUseException } => e.Message,
        IOException { InnerException: SocketException { SocketErrorCode: SocketError.AccessDenied or SocketError.AddressNotAvailable } } => e.Message,
        UnauthorizedAccessException => e.Message,
        _ => null,
    };
}
