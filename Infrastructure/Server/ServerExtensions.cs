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
        return builder;
    }
}
