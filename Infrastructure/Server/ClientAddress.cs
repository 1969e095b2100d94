using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace IgLive.Service.Infrastructure.Server;

/// <summary>
/// The client's address behind a proxy: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are applied only when the
/// TCP peer is a configured proxy, walking the chain from the right and stopping at the first address that is not one,
/// so a client cannot choose its own address (rate limits, view de-duplication) by sending the header itself. With
/// nothing configured the headers are ignored.
/// </summary>
public static class ClientAddress
{
    /// <summary>
    /// <c>Network:KnownProxies</c> (addresses) or <c>Network:KnownNetworks</c> (CIDR): comma-separated, or a list
    /// (<c>Network__KnownProxies__0</c>, …).
    /// </summary>
    public static IEnumerable<string> Values(IConfiguration config, string key)
    {
        var section = config.GetSection("Network:" + key);
        return new[] { section.Value }.Concat(section.GetChildren().Select(c => c.Value))
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    public static void Validate(IConfiguration config, List<string> problems)
    {
        foreach (var proxy in Values(config, "KnownProxies"))
            if (!IPAddress.TryParse(proxy, out _)) problems.Add($"Network__KnownProxies: '{proxy}' is not an IP address.");
        foreach (var net in Values(config, "KnownNetworks"))
            if (!System.Net.IPNetwork.TryParse(net, out _)) problems.Add($"Network__KnownNetworks: '{net}' is not a CIDR network (e.g. 10.0.0.0/8).");
    }

    public static IApplicationBuilder UseIgLiveForwardedHeaders(this IApplicationBuilder app)
    {
        var config = app.ApplicationServices.GetRequiredService<IConfiguration>();
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in Values(config, "KnownProxies")) options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var net in Values(config, "KnownNetworks")) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(net));
        // Empty lists would make the middleware trust every peer: without configured proxies it is not installed at all.
        return options.KnownProxies.Count + options.KnownIPNetworks.Count == 0 ? app : app.UseForwardedHeaders(options);
    }
}
