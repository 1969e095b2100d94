using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// A real Redis: Debian's <c>redis-server</c> (test.sh installs it) as a child process on a free loopback port, with no
/// persistence. <see cref="Shared"/> is one server for the whole run (started on first use, stopped by
/// <see cref="RedisRunFixture"/>); a test that stops Redis mid-way starts its own with <see cref="StartAsync"/>.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<Task<RedisServer>> SharedServer = new(() => StartAsync());
    private Process? process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>What the service's <c>Redis:ConnectionString</c> is set to.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The run's shared server.</summary>
    public static Task<RedisServer> Shared => SharedServer.Value;

    internal static bool SharedStarted => SharedServer.IsValueCreated;

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(ServiceProcess.FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server again on the same port (after <see cref="StopAsync"/>); empty, as after a crash.</summary>
    public async Task RestartAsync()
    {
        if (process is { HasExited: false }) return;
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed (test.sh installs Debian's redis-server)", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = process;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { started.Kill(); } catch (InvalidOperationException) { } };
        await Poll.UntilAsync(PingAsync, TimeSpan.FromSeconds(20), $"redis-server on port {Port}");
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (process is null || process.HasExited) return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>Whether it answers PING.</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var n = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException) { return false; }
        catch (IOException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
    }
}
