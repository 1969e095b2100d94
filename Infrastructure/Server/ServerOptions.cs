using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Infrastructure.Server;

/// <summary>Section <c>Server</c>: Kestrel tuning.</summary>
public sealed class ServerOptions : ISectionOptions
{
    public string Section => "Server";
    /// <summary>
    /// Size of the blocks Kestrel receives into (one <c>recv</c> per block): 64 KiB instead of Kestrel's 4 KiB makes large
    /// uploads much cheaper in syscalls; each connection with unread or unsent data holds at least one block. 0 keeps
    /// Kestrel's default pool.
    /// </summary>
    public int SocketBlockBytes { get; set; } = 64 * 1024;
    /// <summary>Open connections per instance (HTTP/1.1 keep-alive, HTTP/2, SSE streams); more are refused.</summary>
    public long MaxConnections { get; set; } = 10_000;
    /// <summary>All request headers of one request together, in bytes (431 above).</summary>
    public int MaxRequestHeadersBytes { get; set; } = 16 * 1024;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (SocketBlockBytes != 0 && (SocketBlockBytes is < 4096 or > 1024 * 1024 || SocketBlockBytes % 4096 != 0))
            yield return "Server__SocketBlockBytes must be 0 (Kestrel's default) or a multiple of 4096 between 4096 and 1048576.";
        if (MaxConnections < 1) yield return "Server__MaxConnections must be at least 1.";
        if (MaxRequestHeadersBytes is < 4096 or > 1024 * 1024) yield return "Server__MaxRequestHeadersBytes must be between 4096 and 1048576.";
    }
}
