using Microsoft.AspNetCore.Connections;

namespace IgLive.Service.Infrastructure.Server;

public static class ServerExtensions
{
    /// <summary>Returned socket blocks each memory pool keeps for reuse (Kestrel creates one pool per I/O queue).</summary>
    public const int MaxRetainedBlocks = 128;

    /// <summary>
    /// Kestrel's transport memory pool: blocks of <c>Server:SocketBlockBytes</c> (default 64 KiB) so a large request body
    /// is received in 64 KiB syscalls rather than 4 KiB ones; 0 keeps Kestrel's own 4 KiB pool.
    /// </summary>
    public static WebApplicationBuilder AddIgLiveServer(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Server").Get<ServerOptions>() ?? new ServerOptions();
        if (options.SocketBlockBytes > 0)
            builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new LargeBlockMemoryPoolFactory(options.SocketBlockBytes, MaxRetainedBlocks));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxConcurrentConnections = options.MaxConnections;
            k.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
            k.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;
            k.Limits.MaxRequestHeaderCount = 64;
            k.Limits.MaxRequestLineSize = 8 * 1024;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(75);
            k.Limits.Http2.MaxStreamsPerConnection = 100;
            k.Limits.Http2.MaxRequestHeaderFieldSize = options.MaxRequestHeadersBytes;
        });
        // StartupFailures prints the one line; the host would log the same failure with a stack trace first.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder;
    }

    /// <summary>
    /// <paramref name="args"/> plus <c>--contentRoot=&lt;the app's folder&gt;</c> unless a content root is given (argument or
    /// <c>ASPNETCORE_/DOTNET_CONTENTROOT</c>): started from another folder, the service still finds its appsettings.json,
    /// wwwroot and data folder instead of the caller's current directory.
    /// </summary>
    public static string[] WithAppContentRoot(string[] args)
    {
        var given = args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
                    || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
                    || Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 };
        return given ? args : [.. args, "--contentRoot=" + AppContext.BaseDirectory];
    }
}
